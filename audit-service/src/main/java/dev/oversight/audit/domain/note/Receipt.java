package dev.oversight.audit.domain.note;

import dev.oversight.audit.domain.Merkle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A receipt: the C2SP {@code tlog-proof@v1} text that an event is in the log, verifiable offline months later with the
 * log's verifier key (and witnesses' keys) alone. Lines: {@code c2sp.org/tlog-proof@v1}; {@code extra <base64>} (here
 * the event's canonical text, whose leaf hash the proof is of); {@code index <n>}; the RFC 6962 inclusion proof, one
 * base64 hash per line from the leaf's sibling up; an empty line; the checkpoint's signed note, verbatim, with its
 * cosignatures.
 */
public record Receipt(byte[] extra, long index, List<byte[]> proof, String checkpoint) {

    public static final String HEADER = "c2sp.org/tlog-proof@v1";
    /** The largest receipt a verifier reads, in characters. */
    public static final int MAX_CHARS = 2 * 1024 * 1024;

    public Receipt {
        extra = extra == null ? null : extra.clone();
        proof = List.copyOf(proof);
    }

    public String format() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        if (extra != null) {
            out.append("extra ").append(Base64.getEncoder().encodeToString(extra)).append('\n');
        }
        out.append("index ").append(index).append('\n');
        for (byte[] hash : proof) {
            out.append(Base64.getEncoder().encodeToString(hash)).append('\n');
        }
        return out.append('\n').append(checkpoint).toString();
    }

    /** Reads a receipt; IllegalArgumentException names what is malformed. */
    public static Receipt parse(String text) {
        if (text.length() > MAX_CHARS) {
            throw new IllegalArgumentException("a receipt is at most " + MAX_CHARS + " characters");
        }
        int blank = text.indexOf("\n\n");
        if (blank < 0) {
            throw new IllegalArgumentException("no empty line before the checkpoint");
        }
        String[] lines = text.substring(0, blank).split("\n", -1);
        if (!lines[0].equals(HEADER)) {
            throw new IllegalArgumentException("the first line must be " + HEADER);
        }
        int at = 1;
        byte[] extra = null;
        if (at < lines.length && lines[at].startsWith("extra ")) {
            extra = base64(lines[at].substring(6), "extra");
            at++;
        }
        if (at >= lines.length || !lines[at].startsWith("index ")) {
            throw new IllegalArgumentException("an index line must follow");
        }
        String digits = lines[at].substring(6);
        if (!digits.matches("0|[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("the index must be a decimal without leading zeroes");
        }
        long index = Long.parseLong(digits);
        List<byte[]> proof = new ArrayList<>();
        for (int i = at + 1; i < lines.length; i++) {
            byte[] hash = base64(lines[i], "proof line " + (i - at));
            if (hash.length != Merkle.HASH_SIZE) {
                throw new IllegalArgumentException("proof line " + (i - at) + " is not a SHA-256 hash");
            }
            proof.add(hash);
        }
        return new Receipt(extra, index, proof, text.substring(blank + 2));
    }

    /**
     * What is wrong with this receipt for the log whose key is {@code log} (and, with a policy, its witnesses); empty
     * when the checkpoint is signed by the log (and cosigned by enough witnesses) and the extra data's leaf is at the
     * index in the signed tree.
     */
    public Optional<String> problem(NoteKey log, WitnessPolicy witnesses) {
        SignedNote note;
        CheckpointNote cp;
        try {
            note = SignedNote.parse(checkpoint);
            cp = CheckpointNote.parse(note.text());
        } catch (IllegalArgumentException e) {
            return Optional.of("the checkpoint is malformed: " + e.getMessage());
        }
        if (!note.verifiedBy(List.of(log)).contains(log)) {
            return Optional.of("the checkpoint is not signed by the log's key " + log.name());
        }
        if (!cp.origin().equals(log.name())) {
            return Optional.of("the checkpoint is of log " + cp.origin() + ", not " + log.name());
        }
        if (witnesses != null && !witnesses.trusts(note)) {
            return Optional.of("the checkpoint has " + witnesses.cosigners(note) + " valid witness cosignatures of the "
                    + witnesses.required() + " required");
        }
        if (extra == null) {
            return Optional.of("the receipt carries no event (extra) to prove");
        }
        if (index >= cp.size()) {
            return Optional.of("index " + index + " is not in the checkpointed tree of size " + cp.size());
        }
        if (!Merkle.verifyInclusion(index, cp.size(), Merkle.leafHash(extra), proof, cp.root())) {
            return Optional.of("the inclusion proof does not lead from the event to the signed root");
        }
        return Optional.empty();
    }

    /** The event's canonical text (the extra data). */
    public String eventText() {
        return extra == null ? null : new String(extra, StandardCharsets.UTF_8);
    }

    /** Strict base64: padded, and canonical (no stray bits), so that one receipt has one spelling. */
    private static byte[] base64(String s, String what) {
        byte[] b;
        try {
            b = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64");
        }
        if (!Base64.getEncoder().encodeToString(b).equals(s)) {
            throw new IllegalArgumentException(what + " is not canonical base64");
        }
        return b;
    }
}
