package dev.oversight.client;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Standard Webhooks verification against the specification's published test vector. */
class WebhooksTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant AT = Instant.ofEpochSecond(TIMESTAMP);

    private static Map<String, String> headers(String signature, long timestamp) {
        return Map.of("Webhook-Id", ID, "Webhook-Timestamp", Long.toString(timestamp), "Webhook-Signature", signature);
    }

    @Test
    void signsAndVerifiesThePublishedVector() {
        assertThat(Webhooks.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
        assertThatCode(() -> Webhooks.verify(SECRET, headers(SIGNATURE, TIMESTAMP), BODY, AT)).doesNotThrowAnyException();
        assertThatCode(() -> Webhooks.verify(SECRET.substring(6), headers("v1,b3RoZXI= " + SIGNATURE, TIMESTAMP),
                BODY, AT.plusSeconds(300))).doesNotThrowAnyException();
    }

    @Test
    void refusesAnAlteredBodyTimestampOrSignature_anotherSecret_andAnOldDelivery() {
        byte[] altered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Webhooks.verify(SECRET, headers(SIGNATURE, TIMESTAMP), altered, AT))
                .isInstanceOf(Webhooks.InvalidSignatureException.class);
        assertThatThrownBy(() -> Webhooks.verify(SECRET, headers(SIGNATURE, TIMESTAMP + 1), BODY, AT))
                .isInstanceOf(Webhooks.InvalidSignatureException.class);
        assertThatThrownBy(() -> Webhooks.verify(SECRET, headers("v2," + SIGNATURE.substring(3), TIMESTAMP), BODY, AT))
                .isInstanceOf(Webhooks.InvalidSignatureException.class);
        assertThatThrownBy(() -> Webhooks.verify("whsec_" + "A".repeat(32), headers(SIGNATURE, TIMESTAMP), BODY, AT))
                .isInstanceOf(Webhooks.InvalidSignatureException.class);
        assertThatThrownBy(() -> Webhooks.verify(SECRET, headers(SIGNATURE, TIMESTAMP), BODY, AT.plusSeconds(301)))
                .isInstanceOf(Webhooks.InvalidSignatureException.class);
        assertThatThrownBy(() -> Webhooks.verify(SECRET, Map.of("webhook-id", ID), BODY, AT))
                .isInstanceOf(Webhooks.InvalidSignatureException.class);
    }
}
