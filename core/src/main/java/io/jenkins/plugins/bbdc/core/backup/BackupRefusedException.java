package io.jenkins.plugins.bbdc.core.backup;

import io.jenkins.plugins.bbdc.core.OperationOutcome;
import java.util.List;

/**
 * The backup was refused before anything changed (configuration, capability, version, provider checks, another run
 * holding the instance). The message lists every reason and what to do.
 */
public class BackupRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> reasons;
    private final OperationOutcome outcome;

    public BackupRefusedException(List<String> reasons) {
        this(reasons, OperationOutcome.REFUSED);
    }

    /**
     * @param outcome {@link OperationOutcome#REFUSED}, {@link OperationOutcome#HELD_ELSEWHERE} (another operation
     *                holds the instance) or {@link OperationOutcome#NEEDS_MANUAL_ACTION} (an earlier backup of this
     *                tool still holds Bitbucket's maintenance lock and it could not be released)
     */
    public BackupRefusedException(List<String> reasons, OperationOutcome outcome) {
        super("backup refused, nothing was changed: " + String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
        this.outcome = outcome;
    }

    /** Why nothing was started, for the caller's exit code or build result. */
    public OperationOutcome outcome() {
        return outcome;
    }

    public List<String> reasons() {
        return reasons;
    }
}
