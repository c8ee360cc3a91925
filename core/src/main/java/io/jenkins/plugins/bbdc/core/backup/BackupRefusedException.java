package io.jenkins.plugins.bbdc.core.backup;

import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import java.util.List;

/**
 * The backup was refused before anything changed (configuration, capability, version, provider checks, another run
 * holding the instance, an earlier backup's maintenance lock that could not be released). The message lists every
 * reason and what to do.
 */
public class BackupRefusedException extends Exception implements OperationOutcome.Classified {
    private static final long serialVersionUID = 1L;
    private final List<String> reasons;
    private final OperationOutcome outcome;

    public BackupRefusedException(List<String> reasons) {
        this(reasons, OperationOutcome.REFUSED);
    }

    /**
     * @param outcome {@link OperationOutcome#REFUSED}, {@link OperationOutcome#HELD} (another operation holds the
     *                instance) or {@link OperationOutcome#NOT_SAFE} (an earlier backup of this tool still holds
     *                Bitbucket's maintenance lock and it could not be released)
     */
    public BackupRefusedException(List<String> reasons, OperationOutcome outcome) {
        super("backup refused, nothing was changed: " + String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
        this.outcome = outcome;
    }

    /** Another operation holds the instance's run lock: {@link OperationOutcome#HELD}. */
    public BackupRefusedException(InstanceLock.HeldException held) {
        super("backup refused, nothing was changed: " + held.getMessage(), held);
        this.reasons = List.of(held.getMessage());
        this.outcome = OperationOutcome.HELD;
    }

    public List<String> reasons() {
        return reasons;
    }

    /** {@link OperationOutcome#REFUSED}, {@link OperationOutcome#HELD} or {@link OperationOutcome#NOT_SAFE}. */
    @Override
    public OperationOutcome outcome() {
        return outcome;
    }
}
