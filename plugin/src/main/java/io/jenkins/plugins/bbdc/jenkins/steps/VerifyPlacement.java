package io.jenkins.plugins.bbdc.jenkins.steps;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.runtime.FileWorkSite;
import io.jenkins.plugins.bbdc.jenkins.runtime.HomeCheckOnNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each half of the restore test runs. The scratch home is restored by the home provider's commands on the
 * build's agent, and the filesystem checks and {@code git fsck} run there too, through its channel; on the
 * controller (outside {@code node}, or on the built-in node) only where an administrator allowed controller file
 * system access for the instance. The database is checked from the controller over JDBC, like the database
 * provider's own work.
 */
final class VerifyPlacement {
    private VerifyPlacement() {
    }

    /** Only the home and the database take part in a restore test (search and Mesh homes are not verified). */
    static Map<String, ComponentProvider> homeAndDatabase(Map<String, ComponentProvider> chosen) {
        Map<String, ComponentProvider> out = new LinkedHashMap<>();
        out.put(ComponentRole.HOME.value(), chosen.get(ComponentRole.HOME.value()));
        out.put(ComponentRole.DATABASE.value(), chosen.get(ComponentRole.DATABASE.value()));
        return out;
    }

    static HomeCheckOnNode homeCheck(BitbucketInstance instance, ComponentProvider home, StepRuntime rt)
            throws AbortException {
        return homeCheck(instance, home, rt.fileWork);
    }

    /**
     * The home check on the build's file work site.
     *
     * @throws AbortException outside {@code node} when the home provider runs commands, or on the controller without
     *                        the instance's allowance — before anything is restored
     */
    static HomeCheckOnNode homeCheck(BitbucketInstance instance, ComponentProvider home, FileWorkSite site)
            throws AbortException {
        if (home.runsCommands() && site.kind() == FileWorkSite.Kind.NO_NODE) {
            throw new AbortException(Messages.Step_needsNode(home.describe()));
        }
        return site.require(instance, Messages.VerifyPlacement_homeWork()).homeCheck();
    }
}
