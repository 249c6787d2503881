package dev.oversight.routing.evaluation.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.jdbc.Transactions;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the evaluation services share: JSON the router stored (which always parses) and wrote (which always
 * serializes), and a JDBC transaction whose database failure is the caller's 503 with the given message.
 */
@ApplicationScoped
public class StoredJson {

    private final ObjectMapper json;
    private final AgroalDataSource db;

    public StoredJson(ObjectMapper json, AgroalDataSource db) {
        this.json = json;
        this.db = db;
    }

    /** Stored JSON text as a tree; null text is JSON null. */
    public JsonNode parse(String text) {
        try {
            return text == null ? json.nullNode() : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON always parses", e);
        }
    }

    public String text(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A tree always serializes", e);
        }
    }

    public ObjectMapper mapper() {
        return json;
    }

    /** The work in one transaction; a database that cannot be reached is a 503 saying {@code unavailable}. */
    public <T> T inTransaction(String unavailable, Transactions.Work<T> work) {
        return Transactions.inTransaction(db, unavailable, work);
    }
}
