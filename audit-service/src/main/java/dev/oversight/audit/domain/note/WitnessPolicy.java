package dev.oversight.audit.domain.note;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * k of n witnesses: a checkpoint is trusted only when at least {@code required} of these witness keys (C2SP
 * cosignature/v1, type 0x04) cosigned its note text. Each witness counts once however many lines it sent.
 */
public record WitnessPolicy(List<NoteKey> witnesses, int required) {

    public WitnessPolicy {
        witnesses = List.copyOf(witnesses);
        if (required < 1 || required > witnesses.size()) {
            throw new IllegalArgumentException("a witness policy needs between 1 and " + witnesses.size()
                    + " cosignatures, not " + required);
        }
        if (witnesses.stream().anyMatch(k -> k.type() != NoteKey.COSIGNATURE_V1)) {
            throw new IllegalArgumentException("witness keys are cosignature keys (vkey type 0x04)");
        }
    }

    /** How many distinct policy witnesses validly cosigned the note. */
    public int cosigners(SignedNote note) {
        Set<NoteKey> signed = new HashSet<>();
        for (SignedNote.Line line : note.signatures()) {
            for (NoteKey k : witnesses) {
                if (NoteSigner.verifiesCosignature(k, line, note.text())) {
                    signed.add(k);
                }
            }
        }
        return signed.size();
    }

    public boolean trusts(SignedNote note) {
        return cosigners(note) >= required;
    }
}
