package io.jenkins.plugins.bbdc.jenkins.runtime;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.restore.BitbucketSchema;
import io.jenkins.plugins.bbdc.core.restore.RestoreVerifier;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jenkins.MasterToSlaveFileCallable;

/**
 * The filesystem half of the restore test, run on the machine that holds the restored home: the build's agent when
 * the home provider runs commands there, else the controller. Only the database's repository rows and plain options
 * travel to that machine, and only the findings (check names, outcomes, details) come back; the database connection
 * and its password stay on the controller. {@code git fsck} runs as a local process of that machine.
 */
public final class HomeCheckOnNode implements RestoreVerifier.HomeCheck {
    private final VirtualChannel channel;
    private final String where;

    /**
     * @param channel the agent's channel, or null for the controller itself
     * @param where   for log lines: {@code agent linux-1} or {@code controller}
     */
    public HomeCheckOnNode(@CheckForNull VirtualChannel channel, String where) {
        this.channel = channel;
        this.where = where;
    }

    public String where() {
        return where;
    }

    @Override
    public RestoreVerifier.HomeFindings verify(Path sharedHome, Map<Integer, RestoreVerifier.Row> rows,
                                               RestoreVerifier.Options options)
            throws IOException, InterruptedException {
        return new FilePath(channel, sharedHome.toString()).act(new Check(rows, options));
    }

    /** What crosses the channel: plain rows and options; what comes back: {@link RestoreVerifier.HomeFindings}. */
    public static final class Check extends MasterToSlaveFileCallable<RestoreVerifier.HomeFindings> {
        private static final long serialVersionUID = 1L;

        private final ArrayList<RestoreVerifier.Row> rows;
        private final int fsckSample;
        private final long seed;
        private final String originalSharedHome;
        private final boolean rewriteAlternates;
        private final long fsckTimeoutMillis;

        public Check(Map<Integer, RestoreVerifier.Row> rows, RestoreVerifier.Options options) {
            this.rows = new ArrayList<>(rows.values());
            this.fsckSample = options.fsckSample();
            this.seed = options.seed();
            this.originalSharedHome = options.originalSharedHome() == null ? null
                    : options.originalSharedHome().toString();
            this.rewriteAlternates = options.rewriteAlternates();
            this.fsckTimeoutMillis = options.fsckTimeout().toMillis();
        }

        /** Runs on the machine holding {@code sharedHome}. */
        @Override
        public RestoreVerifier.HomeFindings invoke(File sharedHome, VirtualChannel channel)
                throws IOException, InterruptedException {
            Map<Integer, RestoreVerifier.Row> byId = new TreeMap<>();
            for (RestoreVerifier.Row r : rows) {
                byId.put(r.id(), r);
            }
            // the database-only parts of the options (schema, expected identity) stay on the controller
            RestoreVerifier.Options options = new RestoreVerifier.Options(fsckSample, seed,
                    originalSharedHome == null ? null : Path.of(originalSharedHome), rewriteAlternates,
                    RestoreVerifier.Expected.NONE, BitbucketSchema.defaults(), Duration.ofMillis(fsckTimeoutMillis));
            return new RestoreVerifier(new ProcessCommandRunner()).verifyHome(sharedHome.toPath(), byId, options);
        }

        List<RestoreVerifier.Row> rows() {
            return rows;
        }
    }
}
