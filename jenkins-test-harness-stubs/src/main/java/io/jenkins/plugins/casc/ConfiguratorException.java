package io.jenkins.plugins.casc;

import edu.umd.cs.findbugs.annotations.CheckForNull;

public class ConfiguratorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfiguratorException(@CheckForNull String message) {
        super(message);
    }
}
