package io.jenkins.plugins.bbdc.jenkins.steps;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.backup.Components;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.retention.RetentionExecutor;
import io.jenkins.plugins.bbdc.core.retention.RetentionPlan;
import io.jenkins.plugins.bbdc.core.retention.RetentionPlanner;
import io.jenkins.plugins.bbdc.core.retention.RetentionPolicy;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.config.RetentionRules;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retention after a successful backup: the step's {@code retention(...)} rules, else the instance's
 * {@code keepLast} (0 = keep everything). Runs through core.retention, so snapshots are deleted through their
 * providers before a manifest goes, and is reported as plain values in the step's result.
 */
final class BackupRetention {
    private final String instanceId;
    private final RetentionPolicy policy;
    private final FileCatalog catalog;
    private final Components components;
    private final CommandRunner runner;
    private final EventSink events;
    private final Clock clock;

    BackupRetention(String instanceId, RetentionPolicy policy, FileCatalog catalog, Components components,
                    CommandRunner runner, EventSink events, Clock clock) {
        this.instanceId = instanceId;
        this.policy = policy;
        this.catalog = catalog;
        this.components = components;
        this.runner = runner;
        this.events = events;
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    /**
     * The policy to apply, or null when nothing is to be deleted.
     *
     * @throws AbortException naming the problem of the step's rules (before anything is backed up)
     */
    static RetentionPolicy policy(RetentionRules stepRules, int instanceKeepLast) throws AbortException {
        if (stepRules != null) {
            try {
                return stepRules.toPolicy();
            } catch (IllegalArgumentException e) {
                throw new AbortException(Messages.BackupRetention_invalid(e.getMessage()));
            }
        }
        return instanceKeepLast > 0 ? RetentionPolicy.keepLast(instanceKeepLast) : null;
    }

    /** Plans and carries out retention; the result map of the step's {@code retention} entry. */
    Map<String, Object> apply() throws Exception {
        List<RestorePoint> points = catalog.list(instanceId);
        RetentionPlan plan = new RetentionPlanner(policy).plan(instanceId, points, clock.instant());
        RetentionExecutor.Report report = new RetentionExecutor(catalog, components,
                role -> new ProviderContext(instanceId, role, null, runner, clock, null, events), clock, events)
                .execute(plan);
        return toMap(policy, plan, report);
    }

    static Map<String, Object> toMap(RetentionPolicy policy, RetentionPlan plan, RetentionExecutor.Report report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", policy.describe());
        m.put("kept", plan.toKeep().stream().map(RestorePoint::id).toList());
        m.put("deleted", new ArrayList<>(report.deleted()));
        Map<String, Object> notFully = new LinkedHashMap<>();
        report.notFullyDeleted().forEach((id, refs) -> notFully.put(id,
                refs.stream().map(BackupRetention::describe).toList()));
        m.put("notFullyDeleted", notFully);
        m.put("problems", new ArrayList<>(report.problems()));
        m.put("clean", report.clean());
        return m;
    }

    /** One line for the build page's summary table. */
    static String summary(Map<String, Object> retention) {
        List<?> deleted = (List<?>) retention.get("deleted");
        Map<?, ?> notFully = (Map<?, ?>) retention.get("notFullyDeleted");
        return Messages.BackupRetention_summary(retention.get("policy"), deleted.size(),
                deleted.isEmpty() ? "" : " " + deleted)
                + (notFully.isEmpty() ? "" : Messages.BackupRetention_notFullyDeleted(notFully.keySet()));
    }

    private static String describe(SnapshotRef r) {
        return r.provider() + " " + r.id() + " (" + r.role() + ")";
    }
}
