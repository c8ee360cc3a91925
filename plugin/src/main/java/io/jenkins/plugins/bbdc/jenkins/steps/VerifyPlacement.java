package io.jenkins.plugins.bbdc.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Launcher;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.runtime.HomeCheckOnNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each half of the restore test runs. The scratch home is restored by the home provider's commands, so it lies
 * on the build's agent when that provider runs commands: the filesystem checks run there too. The database is
 * checked from the controller over JDBC, like the database provider's own work.
 */
final class VerifyPlacement {
    static final String AGENT = "agent";
    static final String CONTROLLER = "controller";

    private VerifyPlacement() {
    }

    /** Only the home and the database take part in a restore test (search and Mesh homes are not verified). */
    static Map<String, ComponentProvider> homeAndDatabase(Map<String, ComponentProvider> chosen) {
        Map<String, ComponentProvider> out = new LinkedHashMap<>();
        out.put(ComponentRole.HOME.value(), chosen.get(ComponentRole.HOME.value()));
        out.put(ComponentRole.DATABASE.value(), chosen.get(ComponentRole.DATABASE.value()));
        return out;
    }

    static HomeCheckOnNode homeCheck(ComponentProvider home, StepRuntime rt) throws AbortException {
        return homeCheck(home, rt.launcher);
    }

    static HomeCheckOnNode homeCheck(ComponentProvider home, @CheckForNull Launcher launcher) throws AbortException {
        if (!home.runsCommands()) {
            return new HomeCheckOnNode(null, CONTROLLER);
        }
        if (launcher == null) {
            throw new AbortException(Messages.Step_needsNode(home.describe()));
        }
        return new HomeCheckOnNode(launcher.getChannel(), AGENT);
    }
}
