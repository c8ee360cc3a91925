package io.jenkins.plugins.bbdc.jenkins.runtime;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.bbdc.core.restore.GitLockCleaner;
import io.jenkins.plugins.bbdc.core.restore.RestoreEngine;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import jenkins.MasterToSlaveFileCallable;

/**
 * The restore's work in the restored shared home (stale git locks removed, the integrity check switched on) on the
 * machine the shared home is mounted on: the build's agent, or the controller where an administrator allowed it
 * ({@link FileWorkSite}). Only the flag travels there and only plain strings come back (the engine's report is
 * converted at both ends, as in {@link HomeCheckOnNode}).
 */
public final class SharedHomeOnNode implements RestoreEngine.SharedHomeWork {
    private final VirtualChannel channel;

    /** @param channel the agent's channel, or null for the controller itself */
    public SharedHomeOnNode(@CheckForNull VirtualChannel channel) {
        this.channel = channel;
    }

    @Override
    public GitLockCleaner.Report finish(Path sharedHome, boolean enableIntegrityCheck)
            throws IOException, InterruptedException {
        return new FilePath(channel, sharedHome.toString()).act(new Finish(enableIntegrityCheck)).toReport();
    }

    /** What the clean-up did, as it crosses the channel back. */
    public static final class Done implements Serializable {
        private static final long serialVersionUID = 1L;

        private final int repositories;
        private final ArrayList<String> removed;
        private final ArrayList<String> noticed;

        Done(GitLockCleaner.Report report) {
            this.repositories = report.repositories();
            this.removed = new ArrayList<>(report.removed());
            this.noticed = new ArrayList<>(report.noticed());
        }

        public GitLockCleaner.Report toReport() {
            return new GitLockCleaner.Report(repositories, removed, noticed);
        }
    }

    /** Runs on the machine holding the shared home. */
    public static final class Finish extends MasterToSlaveFileCallable<Done> {
        private static final long serialVersionUID = 1L;

        private final boolean enableIntegrityCheck;

        public Finish(boolean enableIntegrityCheck) {
            this.enableIntegrityCheck = enableIntegrityCheck;
        }

        @Override
        public Done invoke(File sharedHome, VirtualChannel channel) throws IOException {
            return new Done(RestoreEngine.finishSharedHome(sharedHome.toPath(), enableIntegrityCheck));
        }
    }
}
