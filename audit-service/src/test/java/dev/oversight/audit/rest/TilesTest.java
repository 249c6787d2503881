package dev.oversight.audit.rest;

import static dev.oversight.audit.rest.AuditApi.event;
import static dev.oversight.audit.rest.ReceiptTest.concat;
import static dev.oversight.audit.rest.ReceiptTest.sha256;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.audit.testing.AuditDatabase;
import dev.oversight.common.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The log as C2SP tlog-tiles, read by a tiles client written here from the specification alone (RFC 6962 hashing,
 * the tile and entry-bundle layout, the path encoding), sharing no code with the service: from a signed checkpoint
 * and the tiles it rebuilds the root, checks every entry against its leaf hash and every upper tile against the
 * tiles below, and builds an inclusion proof that the independent receipt verifier accepts.
 */
@QuarkusTest
@WithTestResource(AuditDatabase.class)
class TilesTest {

    private static final int EVENTS = 2_100;

    private static String auditor() {
        return Tokens.of("ava", "auditor");
    }

    @Test
    void theTilesAloneRebuildASignedRoot_andProveAnEntry() throws Exception {
        String subject = UUID.randomUUID().toString();
        for (int batch = 0; batch < 3; batch++) {
            StringJoiner body = new StringJoiner(",", "[", "]");
            for (int i = 0; i < EVENTS / 3; i++) {
                body.add(event(UUID.randomUUID(), "DECISION_MADE", subject, "{\"n\":" + (batch * 1000 + i) + "}"));
            }
            given().auth().oauth2(Tokens.of("routing-service", "service")).contentType("application/json")
                    .body(body.toString()).post("/v1/events").then().statusCode(200);
        }
        given().auth().oauth2(Tokens.of("ops", "admin")).post("/v1/checkpoints").then().statusCode(200);
        String vkey = given().auth().oauth2(auditor()).get("/v1/checkpoints/public-key").then().statusCode(200).extract().path("vkey");
        String note = given().get("/checkpoint").then().statusCode(200).extract().asString();
        ReceiptTest.Head head = ReceiptTest.signedHead(note, vkey);
        long size = head.size();
        assertThat(size).isGreaterThanOrEqualTo(EVENTS);

        TileClient client = new TileClient(size);
        assertThat(client.root(0, size)).as("the root rebuilt from the tiles").isEqualTo(head.root());

        // Every entry hashes to its leaf in the level-0 tile; every level-1 hash is the root of a full level-0 tile.
        for (long n = 0; n * 256 < size; n++) {
            int width = (int) Math.min(256, size - n * 256);
            List<byte[]> entries = client.entries(n, width);
            assertThat(entries).hasSize(width);
            for (int i = 0; i < width; i++) {
                assertThat(sha256(concat(new byte[] {0}, entries.get(i)))).as("leaf " + (n * 256 + i))
                        .isEqualTo(client.hash(0, n * 256 + i));
            }
            if (width == 256) {
                assertThat(client.hash(8, n)).as("level-1 hash " + n).isEqualTo(client.root(n * 256, n * 256 + 256));
            }
        }

        // A proof from the tiles alone: as a receipt, the independent verifier accepts it, and it is the service's own.
        for (long index : new long[] {size - EVENTS, size / 2, size - 1}) {
            StringBuilder receipt = new StringBuilder("c2sp.org/tlog-proof@v1\nextra ")
                    .append(Base64.getEncoder().encodeToString(client.entries(index / 256,
                            (int) Math.min(256, size - index / 256 * 256)).get((int) (index % 256))))
                    .append("\nindex ").append(index).append('\n');
            for (byte[] h : client.path(index, 0, size)) {
                receipt.append(Base64.getEncoder().encodeToString(h)).append('\n');
            }
            receipt.append('\n').append(note);
            assertThat(ReceiptTest.independent(receipt.toString(), vkey)).as("proof of " + index).isNull();
            assertThat(given().auth().oauth2(auditor()).get("/v1/events/{i}/receipt", index).then().statusCode(200)
                    .extract().asString()).isEqualTo(receipt.toString());
        }
    }

    @Test
    void tilesAreImmutable_spelledOneWay_onlyUpToTheCheckpoint_andForAuditors() {
        given().auth().oauth2(Tokens.of("routing-service", "service")).contentType("application/json")
                .body("[" + event(UUID.randomUUID(), "DECISION_MADE", UUID.randomUUID().toString(), "{}") + "]")
                .post("/v1/events").then().statusCode(200);
        given().auth().oauth2(Tokens.of("ops", "admin")).post("/v1/checkpoints").then().statusCode(200);
        long size = given().auth().oauth2(auditor()).get("/v1/checkpoints/latest").then().statusCode(200).extract().jsonPath()
                .getLong("treeSize");
        String partial = String.format("%03d", size / 256) + (size % 256 == 0 ? "" : ".p/" + size % 256);
        Response tile = given().auth().oauth2(auditor()).get("/tile/0/" + partial);
        tile.then().statusCode(200).contentType("application/octet-stream")
                .header("Cache-Control", "private, max-age=31536000, immutable");
        assertThat(tile.asByteArray()).hasSize((int) (size % 256 == 0 ? 256 : size % 256) * 32);
        given().auth().oauth2(auditor()).header("Accept-Encoding", "gzip").get("/tile/entries/" + partial).then()
                .statusCode(200).header("Content-Encoding", "gzip");

        // Beyond the checkpoint: the next width, the full tile of a partial one, a tile two levels up.
        given().auth().oauth2(auditor()).get("/tile/0/" + String.format("%03d", size / 256) + ".p/"
                + (size % 256 + 1)).then().statusCode(404);
        if (size % 256 != 0) {
            given().auth().oauth2(auditor()).get("/tile/0/" + String.format("%03d", size / 256)).then()
                    .statusCode(404);
        }
        given().auth().oauth2(auditor()).get("/tile/2/000.p/1").then().statusCode(404);
        // Only the specification's spelling: each tile has one address.
        for (String path : List.of("0/0", "0/000.p/0", "0/000.p/256", "0/000.p/01", "00/000", "0/x000/000", "0/x0/000",
                "64/000", "entries/000.p/", "1/2/3", "0/-01", "0/x999/x999/x999/x999/x999/x999/x999/999")) {
            given().auth().oauth2(auditor()).get("/tile/" + path).then().statusCode(404)
                    .contentType("application/problem+json");
        }
        // The entries name people and use cases: an auditor's (or admin's) token, never nobody's or a reviewer's.
        given().get("/tile/0/000.p/1").then().statusCode(401);
        given().auth().oauth2(Tokens.expired("auditor")).get("/tile/0/000.p/1").then().statusCode(401);
        given().auth().oauth2(Tokens.of("rita", "reviewer")).get("/tile/entries/000.p/1").then().statusCode(403);
        given().auth().oauth2(Tokens.of("app", "app")).get("/tile/0/000.p/1").then().statusCode(403);
        given().auth().oauth2(Tokens.of("ops", "admin")).get("/tile/0/000.p/1").then().statusCode(200);
    }

    /** A tlog-tiles client: fetches each tile once and computes RFC 6962 hashes from them. */
    private static final class TileClient {

        private final long size;
        private final Map<String, byte[]> fetched = new HashMap<>();

        TileClient(long size) {
            this.size = size;
        }

        /** The hash of the perfect subtree at tree level {@code h}, index {@code i}, from the tiles. */
        byte[] hash(int h, long i) throws Exception {
            int tileLevel = h / 8;
            int below = h % 8;
            if (below == 0) {
                long hashes = size;
                for (int l = 0; l < tileLevel; l++) {
                    hashes /= 256;
                }
                long n = i / 256;
                int width = n < hashes / 256 ? 256 : (int) (hashes % 256);
                byte[] tile = tile(tileLevel + "/" + encode(n) + (width == 256 ? "" : ".p/" + width), width * 32);
                int at = (int) (i % 256) * 32;
                return Arrays.copyOfRange(tile, at, at + 32);
            }
            return sha256(concat(new byte[] {1}, hash(h - 1, 2 * i), hash(h - 1, 2 * i + 1)));
        }

        /** MTH(D[from:to]) per RFC 6962 section 2.1. */
        byte[] root(long from, long to) throws Exception {
            long n = to - from;
            if (Long.bitCount(n) == 1 && from % n == 0) {
                return hash(Long.numberOfTrailingZeros(n), from / n);
            }
            long k = Long.highestOneBit(n - 1);
            return sha256(concat(new byte[] {1}, root(from, from + k), root(from + k, to)));
        }

        /** PATH(m, D[from:to]) per RFC 6962 section 2.1.1, m relative to the whole tree. */
        List<byte[]> path(long m, long from, long to) throws Exception {
            List<byte[]> out = new ArrayList<>();
            long n = to - from;
            if (n == 1) {
                return out;
            }
            long k = Long.highestOneBit(n - 1);
            if (m < from + k) {
                out.addAll(path(m, from, from + k));
                out.add(root(from + k, to));
            } else {
                out.addAll(path(m, from + k, to));
                out.add(root(from, from + k));
            }
            return out;
        }

        List<byte[]> entries(long n, int width) throws Exception {
            byte[] bundle = given().auth().oauth2(auditor()).get("/tile/entries/" + encode(n)
                    + (width == 256 ? "" : ".p/" + width)).then().statusCode(200).extract().asByteArray();
            List<byte[]> out = new ArrayList<>();
            for (int at = 0; at < bundle.length; ) {
                int length = (bundle[at] & 0xFF) << 8 | bundle[at + 1] & 0xFF;
                out.add(Arrays.copyOfRange(bundle, at + 2, at + 2 + length));
                at += 2 + length;
            }
            assertThat(new String(out.get(0), StandardCharsets.UTF_8)).startsWith("{\"actor\":");
            return out;
        }

        private byte[] tile(String path, int bytes) {
            return fetched.computeIfAbsent(path, p -> {
                byte[] body = given().auth().oauth2(auditor()).get("/tile/" + p).then().statusCode(200).extract()
                        .asByteArray();
                assertThat(body).as(p).hasSize(bytes);
                return body;
            });
        }

        /** 1234067 is x001/x234/067: the digits in groups of three, each but the last behind an "x". */
        private static String encode(long n) {
            String digits = Long.toString(n);
            digits = "0".repeat((3 - digits.length() % 3) % 3) + digits;
            List<String> groups = new ArrayList<>();
            for (int at = 0; at < digits.length(); at += 3) {
                groups.add(digits.substring(at, at + 3));
            }
            return groups.size() == 1 ? groups.get(0) : "x" + String.join("/x", groups.subList(0, groups.size() - 1))
                    + "/" + groups.get(groups.size() - 1);
        }
    }
}
