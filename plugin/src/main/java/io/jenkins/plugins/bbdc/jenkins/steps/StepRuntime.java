package io.jenkins.plugins.bbdc.jenkins.steps;

import io.jenkins.plugins.bbdc.jenkins.Messages;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.runtime.BuildServices;
import io.jenkins.plugins.bbdc.jenkins.runtime.FileWorkSite;
import io.jenkins.plugins.bbdc.jenkins.util.BitbucketClients;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import java.io.IOException;
import java.io.PrintStream;

/**
 * What one poll of a running step works with: the build, its log, the agent (if any), resolved services and where
 * file work would run.
 */
public final class StepRuntime {
    final Run<?, ?> run;
    final TaskListener listener;
    final Launcher launcher;
    final BuildServices services;
    final FileWorkSite fileWork;

    public StepRuntime(BitbucketInstance instance, Run<?, ?> run, TaskListener listener, Launcher launcher) {
        this.run = run;
        this.listener = listener;
        this.launcher = launcher;
        this.services = new BuildServices(instance, run, listener, launcher);
        this.fileWork = FileWorkSite.of(launcher);
    }

    PrintStream log() {
        return listener.getLogger();
    }

    /**
     * The instance's node URLs keyed by the node each one reaches (asked of each node), so a rolling upgrade reads
     * every node's own /status; empty without node URLs.
     */
    java.util.Map<String, String> nodeUrlsById(BitbucketInstance instance) throws IOException, InterruptedException {
        if (instance.nodeUrlList().isEmpty()) {
            return java.util.Map.of();
        }
        UsernamePassword up = services.usernamePassword(instance.getCredentialsId(),
                Messages.StepRuntime_instanceUse(instance.getId()), instance.getUrl());
        try {
            return io.jenkins.plugins.bbdc.core.upgrade.NodeUrlDiscovery.byNodeId(instance.nodeUrlList(),
                    url -> BitbucketClients.open(url, null, up));
        } catch (IllegalStateException e) {
            throw new hudson.AbortException(e.getMessage());
        }
    }

    /** The admin client of the instance, with its credentials resolved as this build (in memory only). */
    BitbucketAdmin admin(BitbucketInstance instance) throws IOException {
        UsernamePassword up = services.usernamePassword(instance.getCredentialsId(),
                Messages.StepRuntime_instanceUse(instance.getId()), instance.getUrl());
        return admin(instance, up);
    }

    /**
     * The instance's admin client: admin calls to its admin URL (or URL), and the maintenance unlock and cancel also
     * tried at each node URL, as bbdc-ops does with its {@code nodes} — a load balancer may stop forwarding while
     * Bitbucket is locked.
     */
    static BitbucketAdmin admin(BitbucketInstance instance, UsernamePassword credentials) throws IOException {
        return BitbucketClients.open(instance.getUrl(), instance.getAdminUrl(), instance.nodeUrlList(), credentials);
    }
}
