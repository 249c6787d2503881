package dev.oversight.review.rest;

import static dev.oversight.review.rest.Review.admin;
import static dev.oversight.review.rest.Review.claimToken;
import static dev.oversight.review.rest.Review.newTask;
import static dev.oversight.review.rest.Review.reviewer;
import static dev.oversight.review.rest.Review.uniqueUseCase;
import static dev.oversight.review.rest.Review.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.common.testing.PostgresResource;
import dev.oversight.review.service.Notifications;
import dev.oversight.review.service.SlaSweeper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Notifications by e-mail, received by a real SMTP server: a reviewer offered or assigned a task, seniors when an
 * adjudication opens, a use case's owners at an SLA step; nobody who opted out; never the model's output.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class NotificationTest {

    /** A real SMTP server on the port the test profile points the mailer at. */
    private static GreenMail smtp;

    @BeforeAll
    static void startSmtp() {
        smtp = new GreenMail(new ServerSetup(39025, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    @Inject
    Notifications notifications;

    @Inject
    SlaSweeper sla;

    private static List<MimeMessage> to(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(r -> r.toString().equals(address));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static String body(MimeMessage m) throws Exception {
        return String.valueOf(m.getContent());
    }

    @Test
    void theOfferedReviewerSeniorsAndOwnersAreMailed_whoOptedOutIsNot_andNoMailCarriesTheOutput() throws Exception {
        String uc = uniqueUseCase("mail");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String nia = "nia-" + suffix;
        String sol = "sol-" + suffix;
        String sen = "sen-" + suffix;
        String qualified = "\"qualifications\":[{\"name\":\"" + uc + "\",\"validUntil\":\"2999-12-31\"}]";
        admin().body("{" + qualified + ",\"email\":\"" + nia + "@example.org\"}").put("/v1/reviewers/{n}", nia).then()
                .statusCode(201);
        admin().body("{" + qualified + ",\"email\":\"" + sol + "@example.org\",\"notifications\":false}")
                .put("/v1/reviewers/{n}", sol).then().statusCode(201);
        admin().body("{\"senior\":true,\"email\":\"" + sen + "@example.org\"}").put("/v1/reviewers/{n}", sen).then()
                .statusCode(201);
        admin().body("{\"emails\":[\"owner-" + suffix + "@example.org\"]}").put("/v1/use-cases/{u}/owners", uc).then()
                .statusCode(200);
        admin().body("{\"email\":\"not an address\"}").put("/v1/reviewers/{n}", sen).then().statusCode(400);

        // Offered to nia (round robin, first by name); assigned by an admin to sol, who opted out.
        String offered = newTask(uc, 1, "\"requires\":{\"qualifications\":[\"" + uc + "\"]},"
                + "\"assignment\":\"ROUND_ROBIN\",\"slaSeconds\":60");
        String assigned = newTask(uc, 1, null);
        admin().body("{\"reviewer\":\"" + sol + "\"}").post("/v1/tasks/{id}/assign", assigned).then().statusCode(200);
        // Two reviewers disagree on a third task: an adjudication opens.
        String disputed = newTask(uc, 2, null);
        verdict(reviewer("ann-" + suffix), disputed, claimToken("ann-" + suffix, disputed), "APPROVE", null).then()
                .statusCode(200);
        verdict(reviewer("bob-" + suffix), disputed, claimToken("bob-" + suffix, disputed), "REJECT",
                "\"rationale\":\"no\"").then().statusCode(200);
        // A minute on, the offered task passed its SLA: the owners are told.
        sla.sweep(Instant.now().plusSeconds(61));

        assertThat(notifications.send()).isGreaterThanOrEqualTo(3);
        List<MimeMessage> forNia = to(nia + "@example.org");
        assertThat(forNia).hasSize(1);
        assertThat(forNia.get(0).getSubject()).isEqualTo("A task of " + uc + " is offered to you");
        assertThat(body(forNia.get(0))).contains("https://console.example.org/review/tasks/" + offered)
                .doesNotContain("approve").doesNotContain("water damage");
        assertThat(to(sol + "@example.org")).isEmpty();
        assertThat(to(sen + "@example.org")).anySatisfy(m -> assertThat(m.getSubject())
                .isEqualTo("Reviewers of " + uc + " disagree: an adjudication is open"));
        assertThat(to("owner-" + suffix + "@example.org")).singleElement().satisfies(m -> assertThat(m.getSubject())
                .contains("passed its SLA"));
        // Sent once: a second run finds nothing waiting for these people.
        notifications.send();
        assertThat(to(nia + "@example.org")).hasSize(1);
    }
}
