package dev.oversight.audit.service;

import dev.oversight.audit.domain.EventFilter;
import dev.oversight.audit.domain.ScanRow;
import dev.oversight.audit.domain.StoredEvent;
import dev.oversight.audit.repository.LogRepository;
import dev.oversight.common.failure.Failure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/** Reading the log's events: filtered pages, one event, and index-ordered scans for export. */
@ApplicationScoped
public class EventQueries {

    private final LogRepository repository;

    public EventQueries(LogRepository repository) {
        this.repository = repository;
    }

    /** Events after {@code cursor} in log order, or below it newest first. */
    public List<StoredEvent> events(EventFilter filter, long cursor, boolean newestFirst, int limit) {
        try {
            return repository.events(filter, cursor, newestFirst, limit);
        } catch (SQLException e) {
            throw unavailable();
        }
    }

    /** Where the event with this id stands in the log, if it is there. */
    public Optional<Long> indexOf(UUID eventId) {
        try (java.sql.Connection c = repository.connection()) {
            return Optional.ofNullable(repository.knownEvents(c, List.of(eventId)).get(eventId))
                    .map(LogRepository.Known::index);
        } catch (SQLException e) {
            throw unavailable();
        }
    }

    public Optional<StoredEvent> event(long index) {
        try {
            return repository.event(index);
        } catch (SQLException e) {
            throw unavailable();
        }
    }

    /** Streams events [from, to) in index order; a read failure mid-stream is an I/O failure of the stream. */
    public void scan(long from, long to, Consumer<ScanRow> sink) throws IOException {
        try {
            repository.scan(from, to, sink);
        } catch (SQLException e) {
            throw new IOException("The log could not be read", e);
        }
    }

    private static Failure unavailable() {
        return new Failure.Unavailable("The log cannot be read right now; retry.");
    }
}
