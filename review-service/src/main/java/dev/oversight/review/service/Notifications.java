package dev.oversight.review.service;

import dev.oversight.review.domain.ReviewerProfile;
import dev.oversight.review.domain.Task;
import dev.oversight.review.repository.NotificationRepository;
import dev.oversight.review.repository.NotificationRepository.Mail;
import dev.oversight.review.repository.ReviewerRepository;
import io.quarkus.mailer.Mailer;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Mail to people about work: to a reviewer when a task is offered or assigned to them, to senior reviewers when an
 * adjudication opens, to a use case's owners when a task reaches an SLA step. A mail is written in the transaction
 * of what it tells about and sent afterwards by {@link #send}, retried up to {@value #MAX_ATTEMPTS} times, so that
 * no notice is lost to a crash or an SMTP outage. Mails name the use case and link the task in the console; they
 * never carry the model's output or anyone's words. A reviewer who opted out (or has no address) gets none.
 */
@ApplicationScoped
public class Notifications {

    private static final Logger LOG = Logger.getLogger(Notifications.class);
    static final int MAX_ATTEMPTS = 10;

    private final NotificationRepository mails;
    private final ReviewerRepository reviewers;
    private final ReviewTransactions transactions;
    private final Mailer mailer;
    private final String consoleUrl;

    public Notifications(NotificationRepository mails, ReviewerRepository reviewers, ReviewTransactions transactions,
                         Mailer mailer, @ConfigProperty(name = "review.console-url",
                                 defaultValue = "http://localhost:8090") String consoleUrl) {
        this.mails = mails;
        this.reviewers = reviewers;
        this.transactions = transactions;
        this.mailer = mailer;
        this.consoleUrl = consoleUrl.endsWith("/") ? consoleUrl.substring(0, consoleUrl.length() - 1) : consoleUrl;
    }

    /** The task was offered or assigned to {@code reviewer}. */
    void taskFor(Connection c, Task task, String reviewer, boolean offered, Instant at) throws SQLException {
        ReviewerProfile who = reviewers.profile(c, reviewer);
        if (!who.mailable()) {
            return;
        }
        mails.queue(c, who.email(), "A task of " + task.useCase() + " is " + (offered ? "offered" : "assigned")
                + " to you", "Hello " + reviewer + ",\n\na review task of " + task.useCase() + " is "
                + (offered ? "offered to you: start it before the offer moves on to someone else."
                : "assigned to you: only you may take it.") + "\n\nOpen it: " + link(task) + "\n\n" + footer(), at);
    }

    /** An adjudication opened: every senior who wants mail is told. */
    void adjudication(Connection c, Task adjudication, Instant at) throws SQLException {
        for (String to : reviewers.seniorAddresses(c)) {
            mails.queue(c, to, "Reviewers of " + adjudication.useCase() + " disagree: an adjudication is open",
                    "Reviewers disagreed on a task of " + adjudication.useCase() + "; a senior reviewer decides.\n\n"
                            + "Open it: " + link(adjudication) + "\n\n" + footer(), at);
        }
    }

    /** A task reached an SLA step: the use case's owners are told. */
    void slaStep(Connection c, Task task, String step, Instant at) throws SQLException {
        for (String to : mails.owners(c, task.useCase()).orElse(List.of())) {
            mails.queue(c, to, "A review task of " + task.useCase() + " " + step, "A review task of "
                    + task.useCase() + " " + step + " (due " + task.dueAt() + ").\n\nTask: " + link(task) + "\n\n"
                    + footer(), at);
        }
    }

    @Scheduled(every = "${review.mail-send:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            send();
        } catch (RuntimeException e) {
            LOG.warnf("Mails could not be sent: %s", e.getMessage());
        }
    }

    /** Sends the waiting mails; answers how many went out. */
    public int send() {
        return transactions.inTransaction(c -> {
            int sent = 0;
            for (Mail m : mails.lockPending(c, MAX_ATTEMPTS, 50)) {
                try {
                    mailer.send(io.quarkus.mailer.Mail.withText(m.recipient(), m.subject(), m.body()));
                    mails.sent(c, m.id(), Instant.now());
                    sent++;
                } catch (RuntimeException e) {
                    mails.failed(c, m.id(), String.valueOf(e.getMessage()));
                    LOG.warnf("Mail %d could not be sent (attempt %d): %s", m.id(), m.attempts() + 1, e.getMessage());
                }
            }
            return sent;
        });
    }

    private String link(Task task) {
        return consoleUrl + "/review/tasks/" + task.id();
    }

    private static String footer() {
        return "-- Oversight. Reviewers can ask an admin to stop these mails (notifications: false in their profile).";
    }
}
