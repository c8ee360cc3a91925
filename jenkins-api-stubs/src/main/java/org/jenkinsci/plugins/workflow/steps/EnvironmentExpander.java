package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;

public abstract class EnvironmentExpander implements Serializable {
    private static final long serialVersionUID = 1L;

    public abstract void expand(@NonNull EnvVars env) throws IOException, InterruptedException;

    public @NonNull Set<String> getSensitiveVariables() {
        throw new UnsupportedOperationException();
    }

    public static EnvironmentExpander constant(@NonNull Map<String, String> env) {
        throw new UnsupportedOperationException();
    }

    public static EnvironmentExpander merge(@CheckForNull EnvironmentExpander original,
                                            @NonNull EnvironmentExpander subsequent) {
        throw new UnsupportedOperationException();
    }
}
