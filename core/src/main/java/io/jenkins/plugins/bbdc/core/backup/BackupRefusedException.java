package io.jenkins.plugins.bbdc.core.backup;

import java.util.List;

/**
 * The backup was refused before anything changed (configuration, capability, version, provider checks, another run
 * holding the instance). The message lists every reason and what to do.
 */
public class BackupRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> reasons;

    public BackupRefusedException(List<String> reasons) {
        super("backup refused, nothing was changed: " + String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
