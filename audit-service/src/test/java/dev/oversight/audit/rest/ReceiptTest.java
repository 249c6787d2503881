package dev.oversight.audit.rest;

import static dev.oversight.audit.rest.AuditApi.event;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.audit.testing.AuditDatabase;
import dev.oversight.audit.verify.OfflineVerifier;
import dev.oversight.common.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Receipts an auditor takes away: an event's C2SP tlog-proof, checked by our offline verifier and by an independent
 * reading of the specifications written here (C2SP tlog-proof, signed-note and tlog-checkpoint; RFC 9162 inclusion),
 * which shares no code with the service; both refuse a receipt with any byte changed.
 */
@QuarkusTest
@WithTestResource(AuditDatabase.class)
class ReceiptTest {

    private static String auditor() {
        return Tokens.of("ava", "auditor");
    }

    @Test
    void aReceiptVerifiesWithBothVerifiers_andNoneDoesOnceAnyByteChanges() throws Exception {
        UUID decision = UUID.randomUUID();
        List<Long> indexes = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        for (String type : List.of("DECISION_MADE", "TASK_CREATED", "OUTCOME_FINAL")) {
            ids.add(UUID.randomUUID());
            indexes.add(given().auth().oauth2(Tokens.of("routing-service", "service")).contentType("application/json")
                    .body("[" + event(ids.get(ids.size() - 1), type, decision.toString(), "{\"route\":\"REVIEW\",\"decisionId\":\""
                            + decision + "\"}") + "]")
                    .post("/v1/events").then().statusCode(200).extract().jsonPath().getLong("items[0].index"));
        }
        given().auth().oauth2(Tokens.of("ops", "admin")).post("/v1/checkpoints").then().statusCode(200);
        String vkey = given().auth().oauth2(auditor()).get("/v1/checkpoints/public-key").then().statusCode(200)
                .extract().path("vkey");
        long index = indexes.get(1);
        String receipt = given().auth().oauth2(auditor()).get("/v1/events/{i}/receipt", index).then().statusCode(200)
                .contentType("text/plain; charset=utf-8").extract().asString();
        assertThat(receipt).startsWith("c2sp.org/tlog-proof@v1\nextra ").contains("\nindex " + index + "\n");

        assertThat(independent(receipt, vkey)).isNull();
        assertThat(ours(receipt, vkey)).startsWith("OK: event " + index).contains("TASK_CREATED");
        String extra = receipt.lines().filter(l -> l.startsWith("extra ")).findFirst().orElseThrow().substring(6);
        assertThat(new String(Base64.getDecoder().decode(extra), StandardCharsets.UTF_8))
                .contains(decision.toString()).contains("TASK_CREATED");

        // Every byte changed in turn: each verifier refuses every one (this found a 65-byte signature accepted).
        byte[] bytes = receipt.getBytes(StandardCharsets.UTF_8);
        int refused = 0;
        for (int at = 0; at < bytes.length; at++) {
            byte[] changed = bytes.clone();
            changed[at] = (byte) (changed[at] == 'A' ? 'B' : changed[at] == '\n' ? ' ' : 'A');
            String text = new String(changed, StandardCharsets.UTF_8);
            if (text.equals(receipt)) {
                continue;
            }
            assertThat(independent(text, vkey)).as("independent verifier, byte " + at).isNotNull();
            assertThat(ours(text, vkey)).as("offline verifier, byte " + at + " of " + bytes.length + ": "
                    + receipt.substring(Math.max(0, at - 30), Math.min(receipt.length(), at + 10)).replace("\n", "|")
                    + " -> " + text.substring(Math.max(0, at - 30), Math.min(text.length(), at + 10)).replace("\n", "|"))
                    .startsWith("FAILED");
            refused++;
        }
        assertThat(refused).isEqualTo(bytes.length);

        // By decision and type, as the router asks for an app's receipt: the same receipt; DECISION_MADE by default.
        String service = Tokens.of("routing-service", "service");
        UUID taskCreatedId = ids.get(1);
        given().auth().oauth2(service).get("/v1/trails/{d}/receipt?type=TASK_CREATED", decision).then().statusCode(200)
                .body(org.hamcrest.Matchers.equalTo(receipt));
        assertThat(given().auth().oauth2(auditor()).get("/v1/trails/{d}/receipt", decision).then().statusCode(200)
                .extract().asString()).contains("\nindex " + indexes.get(0) + "\n");
        given().auth().oauth2(service).get("/v1/trails/{d}/receipt?type=DECISION_OVERRIDDEN", decision).then()
                .statusCode(404);
        given().auth().oauth2(service).get("/v1/trails/{d}/receipt?type=made", decision).then().statusCode(400);
        // By the id its producer gave the event, as the router hands out a report's receipt.
        given().auth().oauth2(service).get("/v1/receipts/{id}", taskCreatedId).then().statusCode(200)
                .body(org.hamcrest.Matchers.equalTo(receipt));
        given().auth().oauth2(service).get("/v1/receipts/{id}", UUID.randomUUID()).then().statusCode(404);

        String other = vkey.substring(0, vkey.lastIndexOf('+') + 1) + Base64.getEncoder().encodeToString(
                concat(new byte[] {1}, new byte[32]));
        // An incident's evidence bundle: the manifest covers every file, each receipt proves what its name says, and
        // every decision of the incident has its DECISION_MADE receipt.
        String made = given().auth().oauth2(service).get("/v1/trails/{d}/receipt", decision).then().statusCode(200)
                .extract().asString();
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("incident.json", "{\"id\":\"i-1\",\"decisionIds\":[\"" + decision + "\"]}");
        bundle.put("decisions/" + decision + ".DECISION_MADE.tlog-proof", made);
        bundle.put("decisions/" + decision + ".TASK_CREATED.tlog-proof", receipt);
        assertThat(evidence(bundle, null, vkey)).contains("OK: evidence of incident i-1: 3 files", "2 receipts verify");
        assertThat(evidence(bundle, "unlisted.txt", vkey)).contains("FAILED: the bundle holds files the manifest does"
                + " not list: [unlisted.txt]");
        Map<String, String> swapped = new LinkedHashMap<>(bundle);
        swapped.put("decisions/" + decision + ".TASK_CREATED.tlog-proof", made);
        assertThat(evidence(swapped, null, vkey)).contains("FAILED:", "proves DECISION_MADE", "not what its name says");
        Map<String, String> without = new LinkedHashMap<>(bundle);
        without.remove("decisions/" + decision + ".DECISION_MADE.tlog-proof");
        assertThat(evidence(without, null, vkey)).contains("FAILED: decision " + decision + " of the incident has no"
                + " DECISION_MADE receipt");
        assertThat(evidence(bundle, null, other)).startsWith("FAILED:");

        // Another log's key proves nothing; a newer event waits for the next checkpoint; no such event; reviewers no.
        assertThat(ours(receipt, other)).startsWith("FAILED");
        long newer = given().auth().oauth2(Tokens.of("routing-service", "service")).contentType("application/json")
                .body("[" + event(UUID.randomUUID(), "DECISION_MADE", UUID.randomUUID().toString(), "{}") + "]")
                .post("/v1/events").then().statusCode(200).extract().jsonPath().getLong("items[0].index");
        given().auth().oauth2(auditor()).get("/v1/events/{i}/receipt", newer).then().statusCode(409);
        given().auth().oauth2(auditor()).get("/v1/events/{i}/receipt", 99_999_999).then().statusCode(404);
        given().auth().oauth2(Tokens.of("rita", "reviewer")).get("/v1/events/{i}/receipt", index).then().statusCode(403);
    }

    /** Runs {@code verify --evidence} on a bundle of these files with their manifest (and one file it leaves out). */
    private static String evidence(Map<String, String> files, String unlisted, String vkey) throws Exception {
        Path zip = Files.createTempFile("evidence", ".zip");
        StringBuilder manifest = new StringBuilder("{\"incidentId\":\"i-1\",\"files\":[");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] bytes = f.getValue().getBytes(StandardCharsets.UTF_8);
                z.putNextEntry(new java.util.zip.ZipEntry(f.getKey()));
                z.write(bytes);
                manifest.append(manifest.charAt(manifest.length() - 1) == '[' ? "" : ",").append("{\"name\":\"")
                        .append(f.getKey()).append("\",\"sha256\":\"").append(HexFormat.of().formatHex(sha256(bytes)))
                        .append("\"}");
            }
            if (unlisted != null) {
                z.putNextEntry(new java.util.zip.ZipEntry(unlisted));
                z.write(1);
            }
            z.putNextEntry(new java.util.zip.ZipEntry("manifest.json"));
            z.write((manifest + "]}").getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OfflineVerifier.run(new String[] {"--evidence", zip.toString(), "--log-vkey", vkey},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        Files.delete(zip);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String ours(String receipt, String vkey) throws Exception {
        Path file = Files.createTempFile("receipt", ".tlog-proof");
        Files.writeString(file, receipt, StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OfflineVerifier.run(new String[] {"--receipt", file.toString(), "--log-vkey", vkey},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        Files.delete(file);
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The specifications read afresh: null when the receipt proves its extra data is in the log the vkey names,
     * otherwise why not.
     */
    static String independent(String receipt, String vkey) {
        try {
            int split = receipt.indexOf("\n\n");
            if (split < 0) {
                return "no empty line";
            }
            List<String> head = List.of(receipt.substring(0, split).split("\n", -1));
            if (!head.get(0).equals("c2sp.org/tlog-proof@v1") || !head.get(1).startsWith("extra ")
                    || !head.get(2).startsWith("index ")) {
                return "header";
            }
            byte[] data = strict(head.get(1).substring(6));
            String digits = head.get(2).substring(6);
            if (!digits.matches("0|[1-9][0-9]*")) {
                return "index";
            }
            long index = Long.parseLong(digits);
            List<byte[]> path = new ArrayList<>();
            for (String line : head.subList(3, head.size())) {
                path.add(strict(line));
            }
            Head signed;
            try {
                signed = signedHead(receipt.substring(split + 2), vkey);
            } catch (IllegalArgumentException e) {
                return "note: " + e.getMessage();
            }
            long size = signed.size();
            byte[] root = signed.root();
            // RFC 9162 section 2.1.3.2: from the leaf hash up the path to the root.
            if (index >= size) {
                return "index beyond the tree";
            }
            long fn = index;
            long sn = size - 1;
            byte[] r = sha256(concat(new byte[] {0}, data));
            for (byte[] p : path) {
                if (p.length != 32 || sn == 0) {
                    return "path";
                }
                if ((fn & 1) == 1 || fn == sn) {
                    r = sha256(concat(new byte[] {1}, p, r));
                    if ((fn & 1) == 0) {
                        while ((fn & 1) == 0 && fn != 0) {
                            fn >>= 1;
                            sn >>= 1;
                        }
                    }
                } else {
                    r = sha256(concat(new byte[] {1}, r, p));
                }
                fn >>= 1;
                sn >>= 1;
            }
            return sn == 0 && Arrays.equals(r, root) ? null : "root";
        } catch (RuntimeException | java.security.GeneralSecurityException e) {
            return "malformed: " + e;
        }
    }

    /** A checkpoint's size and root, read from its signed note once a signature by the vkey's key verifies it. */
    record Head(long size, byte[] root) {
    }

    /**
     * C2SP signed-note and tlog-checkpoint read afresh: body lines, an empty line, signature lines
     * "— name base64(keyhash[4] || signature)"; throws naming what is wrong.
     */
    static Head signedHead(String note, String vkey) throws java.security.GeneralSecurityException {
        int sigs = note.indexOf("\n\n");
        String body = note.substring(0, sigs + 1);
        String[] bodyLines = body.split("\n");
        String origin = bodyLines[0];
        long size = Long.parseLong(bodyLines[1]);
        byte[] root = Base64.getDecoder().decode(bodyLines[2]);
        // vkey: name+hex(keyhash)+base64(0x01 || key)
        String[] v = vkey.split("\\+", 3); // the name holds no "+"; the base64 may
        String name = v[0];
        byte[] material = Base64.getDecoder().decode(v[2]);
        byte[] keyHash = Arrays.copyOf(sha256(concat(name.getBytes(StandardCharsets.UTF_8), new byte[] {'\n'},
                material)), 4);
        if (!HexFormat.of().formatHex(keyHash).equals(v[1]) || material[0] != 1 || !origin.equals(name)) {
            throw new IllegalArgumentException("key");
        }
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(
                HexFormat.of().parseHex("302a300506032b6570032100"), Arrays.copyOfRange(material, 1, 33))));
        boolean signed = false;
        for (String line : note.substring(sigs + 2).split("\n")) {
            String prefix = "\u2014 " + name + " ";
            if (!line.startsWith(prefix)) {
                continue;
            }
            byte[] sig = strict(line.substring(prefix.length()));
            if (sig.length == 68 && Arrays.equals(Arrays.copyOf(sig, 4), keyHash)) {
                Signature ed = Signature.getInstance("Ed25519");
                ed.initVerify(key);
                ed.update(body.getBytes(StandardCharsets.UTF_8));
                signed |= ed.verify(Arrays.copyOfRange(sig, 4, 68));
            }
        }
        if (!signed) {
            throw new IllegalArgumentException("signature");
        }
        return new Head(size, root);
    }

    /** RFC 4648 base64, padded and canonical (section 3.5: pad bits zero). */
    private static byte[] strict(String s) {
        byte[] b = Base64.getDecoder().decode(s);
        if (!Base64.getEncoder().encodeToString(b).equals(s)) {
            throw new IllegalArgumentException("not canonical base64: " + s);
        }
        return b;
    }

    static byte[] sha256(byte[] data) throws java.security.NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
