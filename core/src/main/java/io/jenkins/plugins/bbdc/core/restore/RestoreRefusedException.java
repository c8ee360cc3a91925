package io.jenkins.plugins.bbdc.core.restore;

import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.ops.OperationOutcome;
import java.util.List;

/** The restore preflight refused; nothing was changed. Each reason says what is wrong and what to do. */
public class RestoreRefusedException extends Exception implements OperationOutcome.Classified {
    private static final long serialVersionUID = 1L;
    private final List<String> reasons;

    private final OperationOutcome outcome;

    public RestoreRefusedException(List<String> reasons) {
        super("restore refused, nothing was changed:\n  - " + String.join("\n  - ", reasons));
        this.reasons = List.copyOf(reasons);
        this.outcome = OperationOutcome.REFUSED;
    }

    /** Another operation holds the instance's run lock: {@link OperationOutcome#HELD}. */
    public RestoreRefusedException(InstanceLock.HeldException held) {
        super("restore refused, nothing was changed:\n  - " + held.getMessage(), held);
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
