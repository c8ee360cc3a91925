package io.jenkins.plugins.bbdc.core.restore;

import java.util.List;

/** The restore preflight refused; nothing was changed. Each reason says what is wrong and what to do. */
public class RestoreRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> reasons;

    public RestoreRefusedException(List<String> reasons) {
        super("restore refused, nothing was changed:\n  - " + String.join("\n  - ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
