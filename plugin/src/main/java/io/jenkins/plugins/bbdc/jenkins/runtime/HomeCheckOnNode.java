package io.jenkins.plugins.bbdc.jenkins.runtime;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import io.jenkins.plugins.bbdc.core.restore.BitbucketSchema;
import io.jenkins.plugins.bbdc.core.restore.RestoreVerifier;
import io.jenkins.plugins.bbdc.core.restore.VerificationReport;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
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
 *
 * <p>Both directions carry only classes of this plugin, JDK collections, strings and arrays: the controller's
 * remoting class filter (JEP-200) rejects classes of bundled libraries such as the engine jar, so the engine's
 * records are converted at both ends.
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
        return new FilePath(channel, sharedHome.toString()).act(new Check(rows, options)).toHomeFindings();
    }

    /** The findings as they cross the channel back: plain strings and numbers. */
    public static final class Findings implements Serializable {
        private static final long serialVersionUID = 1L;

        private final ArrayList<String[]> checks = new ArrayList<>();
        private final int repositoryDirectories;
        private final int fsckSampled;

        Findings(RestoreVerifier.HomeFindings found) {
            for (VerificationReport.Check c : found.checks()) {
                checks.add(new String[] {c.name(), c.outcome().name(), c.details()});
            }
            this.repositoryDirectories = found.repositoryDirectories();
            this.fsckSampled = found.fsckSampled();
        }

        public RestoreVerifier.HomeFindings toHomeFindings() {
            List<VerificationReport.Check> out = new ArrayList<>();
            for (String[] c : checks) {
                out.add(new VerificationReport.Check(c[0], VerificationReport.Outcome.valueOf(c[1]), c[2]));
            }
            return new RestoreVerifier.HomeFindings(out, repositoryDirectories, fsckSampled);
        }
    }

    /** What crosses the channel: the repository rows and options as plain values; {@link Findings} come back. */
    public static final class Check extends MasterToSlaveFileCallable<Findings> {
        private static final long serialVersionUID = 1L;

        private final int[] ids;
        private final String[] projectKeys;
        private final String[] slugs;
        private final int fsckSample;
        private final long seed;
        private final String originalSharedHome;
        private final boolean rewriteAlternates;
        private final long fsckTimeoutMillis;

        public Check(Map<Integer, RestoreVerifier.Row> rows, RestoreVerifier.Options options) {
            this.ids = new int[rows.size()];
            this.projectKeys = new String[rows.size()];
            this.slugs = new String[rows.size()];
            int i = 0;
            for (RestoreVerifier.Row r : rows.values()) {
                ids[i] = r.id();
                projectKeys[i] = r.projectKey();
                slugs[i] = r.slug();
                i++;
            }
            this.fsckSample = options.fsckSample();
            this.seed = options.seed();
            this.originalSharedHome = options.originalSharedHome() == null ? null
                    : options.originalSharedHome().toString();
            this.rewriteAlternates = options.rewriteAlternates();
            this.fsckTimeoutMillis = options.fsckTimeout().toMillis();
        }

        /** Runs on the machine holding {@code sharedHome}. */
        @Override
        public Findings invoke(File sharedHome, VirtualChannel channel) throws IOException, InterruptedException {
            Map<Integer, RestoreVerifier.Row> byId = new TreeMap<>();
            for (int i = 0; i < ids.length; i++) {
                byId.put(ids[i], new RestoreVerifier.Row(ids[i], slugs[i], projectKeys[i]));
            }
            // the database-only parts of the options (schema, expected identity) stay on the controller
            RestoreVerifier.Options options = new RestoreVerifier.Options(fsckSample, seed,
                    originalSharedHome == null ? null : Path.of(originalSharedHome), rewriteAlternates,
                    RestoreVerifier.Expected.NONE, BitbucketSchema.defaults(), Duration.ofMillis(fsckTimeoutMillis));
            return new Findings(new RestoreVerifier(new ProcessCommandRunner()).verifyHome(sharedHome.toPath(), byId,
                    options));
        }
    }
}
