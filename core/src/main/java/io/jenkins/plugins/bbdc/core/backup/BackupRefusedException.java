package io.jenkins.plugins.bbdc.core.backup;

import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import java.util.List;

/**
 * The backup was refused before anything changed (configuration, capability, version, provider checks, another run
 * holding the instance). The message lists every reason and what to do.
 */
public class BackupRefusedException extends Exception implements OperationOutcome.Classified {
    private static final long serialVersionUID = 1L;
    private final List<String> reasons;

    private final OperationOutcome outcome;

    public BackupRefusedException(List<String> reasons) {
        super("backup refused, nothing was changed: " + String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
        this.outcome = OperationOutcome.REFUSED;
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

    /** {@link OperationOutcome#REFUSED}, or {@link OperationOutcome#HELD} when another operation holds the instance. */
    @Override
    public OperationOutcome outcome() {
        return outcome;
    }
}
