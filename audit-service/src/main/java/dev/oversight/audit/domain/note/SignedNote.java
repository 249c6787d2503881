package dev.oversight.audit.domain.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note: a text ending in a newline, a blank line, and signature lines
 * {@code — <key name> base64(key ID || signature)}. Parsing is strict (valid UTF-8, no control characters but
 * newline, at most {@link #MAX_SIGNATURES} signatures); verifying follows the spec: signatures from unknown keys are
 * ignored, a known key's bad signature rejects the note, and at least one known key must have signed.
 */
public record SignedNote(String text, List<Line> signatures) {

    public static final int MAX_SIGNATURES = 100;
    private static final String DASH = "\u2014 ";

    /** One signature line: the key name, the key ID, and the signature bytes after the ID. */
    public record Line(String name, int keyId, byte[] signature) {

        /** Parses {@code — <name> <base64(key ID || signature)>} (without its newline). */
        public static Line parse(String line) {
            if (!line.startsWith(DASH)) {
                throw new IllegalArgumentException("a signature line starts with an em dash and a space");
            }
            String[] parts = line.substring(DASH.length()).split(" ", -1);
            if (parts.length != 2 || !NoteKey.validName(parts[0])) {
                throw new IllegalArgumentException("a signature line is a key name and a base64 signature");
            }
            byte[] b;
            try {
                b = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a signature is base64", e);
            }
            if (!Base64.getEncoder().encodeToString(b).equals(parts[1])) {
                // The decoder ignores stray low bits: without this, other spellings of a signature would verify.
                throw new IllegalArgumentException("a signature is canonical base64");
            }
            if (b.length < 5) {
                throw new IllegalArgumentException("a signature holds a key ID and signature bytes");
            }
            return new Line(parts[0], ByteBuffer.wrap(b, 0, 4).getInt(), java.util.Arrays.copyOfRange(b, 4, b.length));
        }

        public String format() {
            byte[] b = ByteBuffer.allocate(4 + signature.length).putInt(keyId).put(signature).array();
            return DASH + name + " " + Base64.getEncoder().encodeToString(b) + "\n";
        }
    }

    public SignedNote {
        signatures = List.copyOf(signatures);
    }

    public String format() {
        StringBuilder s = new StringBuilder(text).append('\n');
        signatures.forEach(l -> s.append(l.format()));
        return s.toString();
    }

    public SignedNote with(Line line) {
        List<Line> all = new ArrayList<>(signatures);
        all.add(line);
        return new SignedNote(text, all);
    }

    /** Parses a note; the text is everything up to the last blank line. */
    public static SignedNote parse(String note) {
        if (note.codePoints().anyMatch(c -> c < 0x20 && c != '\n')) {
            throw new IllegalArgumentException("a note has no control characters but newline");
        }
        if (!note.endsWith("\n")) {
            throw new IllegalArgumentException("a note ends in a newline");
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new IllegalArgumentException("a note has a blank line before its signatures");
        }
        String text = note.substring(0, split + 1);
        String[] lines = note.substring(split + 2).split("\n");
        if (lines.length > MAX_SIGNATURES) {
            throw new IllegalArgumentException("too many signatures");
        }
        List<Line> sigs = new ArrayList<>();
        for (String l : lines) {
            sigs.add(Line.parse(l));
        }
        return new SignedNote(text, sigs);
    }

    /** The signatures of known note keys (type 0x01) that verify; throws if a known key's signature does not. */
    public List<NoteKey> verifiedBy(List<NoteKey> known) {
        List<NoteKey> ok = new ArrayList<>();
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        for (Line l : signatures) {
            for (NoteKey k : known) {
                if (k.type() == NoteKey.ED25519 && k.name().equals(l.name()) && k.keyId() == l.keyId()) {
                    if (!k.verifies(message, l.signature())) {
                        throw new IllegalArgumentException("the signature of " + k.name() + " does not verify");
                    }
                    ok.add(k);
                }
            }
        }
        return ok;
    }
}
