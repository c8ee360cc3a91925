package io.jenkins.plugins.bbdc.core.backup;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketException;
import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketVersion;
import io.jenkins.plugins.bbdc.core.provider.BackupMode;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The dry run of a backup: every check (with its result), every Bitbucket API call and every provider command a
 * backup would make, in order. Building it changes nothing: the only calls made are provider checks and the
 * read-only version query.
 *
 * @param steps  the ordered lines
 * @param refusals the reasons the backup would be refused (empty: it would run)
 */
public record BackupPlan(List<Step> steps, List<String> refusals) {

    /** What a step is. */
    public enum Kind { CHECK, BITBUCKET, PROVIDER, ENGINE }

    /** One line of the plan. */
    public record Step(Kind kind, String component, String text) {
        public String describe() {
            return String.format("%-9s %-18s %s", kind, component == null ? "" : component, text);
        }
    }

    public BackupPlan {
        steps = List.copyOf(steps);
        refusals = List.copyOf(refusals);
    }

    public boolean wouldRun() {
        return refusals.isEmpty();
    }

    public List<String> describe() {
        List<String> out = new ArrayList<>(steps.stream().map(Step::describe).toList());
        out.add(wouldRun() ? "=> the backup would run" : "=> the backup would be REFUSED: " + String.join("; ", refusals));
        return out;
    }

    /** Builds the plan for {@code config}. */
    public static BackupPlan of(BackupConfig config, BitbucketAdmin admin,
                                Function<ComponentRole, ProviderContext> contexts) throws InterruptedException {
        List<Step> steps = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        boolean zd = config.mode() == BackupMode.ZERO_DOWNTIME;
        steps.add(new Step(Kind.ENGINE, null, "take the run lock of instance " + config.instanceId()
                + " (one backup, restore or upgrade at a time)"));
        steps.add(new Step(Kind.BITBUCKET, null, "GET " + admin.baseUrl() + "/rest/api/1.0/application-properties"));
        try {
            String version = admin.applicationProperties().version();
            boolean ok = !zd || BitbucketVersion.parse(version).atLeast(4, 8);
            steps.add(new Step(Kind.CHECK, null, "Bitbucket " + version + (zd ? (ok ? " supports" : " does NOT support")
                    + " zero-downtime backup (4.8 or later)" : "")));
            if (!ok) {
                refusals.add("Bitbucket " + version + " is older than 4.8: zero-downtime backup is not possible");
            }
        } catch (BitbucketException | IllegalArgumentException e) {
            steps.add(new Step(Kind.CHECK, null, "cannot read Bitbucket's version: " + e.getMessage()));
            if (zd) {
                refusals.add("Bitbucket's version is unknown (" + e.getMessage() + ")");
            }
        }
        for (Map.Entry<ComponentRole, SnapshotProvider> e : config.components().providers().entrySet()) {
            ComponentRole role = e.getKey();
            SnapshotProvider p = e.getValue();
            for (String refusal : BackupEngine.capabilityRefusals(config.mode(), role, p)) {
                steps.add(new Step(Kind.CHECK, role.value(), "REFUSED: " + refusal));
                refusals.add(refusal);
            }
            CheckReport report = p.check(contexts.apply(role));
            if (report.findings().isEmpty()) {
                steps.add(new Step(Kind.CHECK, role.value(), p.kind() + ": configuration and access OK"));
            }
            for (CheckReport.Finding f : report.findings()) {
                steps.add(new Step(Kind.CHECK, role.value(), p.kind() + (f.error() ? " ERROR: " : " warning: ")
                        + f.message()));
                if (f.error()) {
                    refusals.add(role + " (" + p.kind() + "): " + f.message());
                }
            }
        }
        steps.add(new Step(Kind.ENGINE, null, "prepare every component in parallel (slow work before the instant)"));
        if (zd) {
            steps.add(new Step(Kind.ENGINE, null, "release every capture together behind one barrier; the instant"
                    + " is the fence; measure the skew"));
        } else {
            String base = admin.baseUrl().toString();
            steps.add(new Step(Kind.BITBUCKET, null, "POST " + base + "/mvc/maintenance/lock"));
            steps.add(new Step(Kind.BITBUCKET, null, "POST " + base + "/mvc/admin/backups?external=true"));
            steps.add(new Step(Kind.BITBUCKET, null, "GET " + base + "/mvc/maintenance every "
                    + config.drainPollInterval() + " until DRAINED, at most " + config.drainTimeout()));
            steps.add(new Step(Kind.ENGINE, null, "capture every component in parallel under the lock"));
        }
        for (Map.Entry<ComponentRole, SnapshotProvider> e : config.components().providers().entrySet()) {
            for (String line : e.getValue().plan(contexts.apply(e.getKey()))) {
                steps.add(new Step(Kind.PROVIDER, e.getKey().value(), line));
            }
        }
        if (!zd) {
            String base = admin.baseUrl().toString();
            steps.add(new Step(Kind.BITBUCKET, null, "POST " + base + "/mvc/admin/backups/progress/client?token=****"
                    + "&percentage=1..99 as components finish, then 100"));
            steps.add(new Step(Kind.BITBUCKET, null, "DELETE " + base + "/mvc/maintenance/lock?token=**** (exactly"
                    + " once; on failure first POST /mvc/maintenance?token=**** to cancel)"));
        }
        steps.add(new Step(Kind.ENGINE, null, "wait until every snapshot is complete"
                + (zd ? "" : " (after the unlock: a dump does not lengthen the lock window)")));
        steps.add(new Step(Kind.ENGINE, null, "write the manifest to the catalog; on failure delete every snapshot"
                + " of the restore point and record it FAILED"));
        return new BackupPlan(steps, refusals);
    }
}
