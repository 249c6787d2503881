package dev.oversight.common.agents;

import java.util.Collection;

/**
 * How people judged the way an agent reached its output or action: SOUND, or FLAWED (right answer, wrong process is
 * possible: an approved run may be FLAWED).
 */
public enum ProcessJudgement {
    SOUND,
    FLAWED;

    /**
     * The judgement of a decision from its reviewers' judgements: FLAWED if any reviewer found the process flawed (a
     * flaw one person saw is not outvoted), SOUND if all who judged it found it sound, null if nobody judged it.
     */
    public static ProcessJudgement of(Collection<ProcessJudgement> judged) {
        if (judged.contains(FLAWED)) {
            return FLAWED;
        }
        return judged.contains(SOUND) ? SOUND : null;
    }
}
