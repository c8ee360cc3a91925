package io.jenkins.plugins.bbdc.jenkins.steps;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.event.EventSink;
import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.postgres.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.core.restore.DatabaseConnector;
import io.jenkins.plugins.bbdc.core.restore.RestoreEngine;
import io.jenkins.plugins.bbdc.core.restore.RestoreRefusedException;
import io.jenkins.plugins.bbdc.core.ops.InstanceLock;
import io.jenkins.plugins.bbdc.core.restore.RestoreVerification;
import io.jenkins.plugins.bbdc.core.restore.RestoreVerifier;
import io.jenkins.plugins.bbdc.core.restore.VerificationReport;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.provider.ClosingProvider;
import io.jenkins.plugins.bbdc.jenkins.runtime.HomeCheckOnNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restore test as the Jenkins step runs it: the engine's {@link RestoreVerification} into scratch locations, the
 * database checked on the controller over JDBC, the restored home checked where it was restored
 * ({@link HomeCheckOnNode}); the result as plain values.
 */
final class VerifyOperation {
    private VerifyOperation() {
    }

    static Map<String, Object> run(BitbucketInstance instance, VerifyArguments args,
                                   Map<String, SnapshotProvider> providers, RestoreVerifier.HomeCheck homeCheck,
                                   String homeCheckedOn, CommandRunner runner, Path catalogRoot, EventSink events)
            throws Exception {
        SnapshotProvider home = providers.get(ComponentRole.HOME.value());
        SnapshotProvider database = providers.get(ComponentRole.DATABASE.value());
        DatabaseConnector connector = connector(database);
        RestorePoint point;
        RestoreVerification.Result result;
        FileCatalog catalog = new FileCatalog(catalogRoot);
        // the run lock: retention must not delete the snapshots while they are restored into scratch copies
        try (InstanceLock ignored = InstanceLock.acquire(catalog.instanceDirectory(instance.getId()),
                instance.getId(), "restore test", Instant.now())) {
            point = new RestoreEngine(catalog, null, runner, null, null, events)
                    .select(instance.getId(), args.selection());
            RestoreVerification.Settings settings = new RestoreVerification.Settings(instance.getId(), home,
                    target("path", args.scratchHome), args.sharedHomeSubpath, database,
                    target("database", args.scratchDatabase), connector, Path.of(args.originalSharedHome),
                    RestoreVerifier.Options.defaults().withSample(args.fsckSample));
            events.emit(OperationEvent.info(Instant.now(), "verify", "verify",
                    Messages.VerifyOperation_where(homeCheckedOn)));
            result = new RestoreVerification(runner, null, events).run(point, settings, homeCheck);
        } catch (RestoreRefusedException | InstanceLock.HeldException e) {
            throw new AbortException(e.getMessage());
        }
        Map<String, Object> map = toMap(result, homeCheckedOn);
        if (!result.passed()) {
            String message = failureMessage(result);
            if (args.failOnProblems) {
                throw new BackgroundWork.ResultfulFailure(message, map);
            }
            events.emit(OperationEvent.info(Instant.now(), "verify", "verify",
                    message + "\n" + Messages.VerifyOperation_notFailing())
                    .withLevel(OperationEvent.Level.WARNING));
        }
        return map;
    }

    /** JDBC connections to the scratch database with the database provider's own server and credentials. */
    static DatabaseConnector connector(SnapshotProvider database) throws AbortException {
        SnapshotProvider p = database instanceof ClosingProvider c ? c.delegate() : database;
        if (p instanceof PostgresDumpProvider pg) {
            return pg::connect;
        }
        throw new AbortException(Messages.VerifyOperation_unsupportedDatabase(database == null ? "none"
                : database.kind()));
    }

    private static Map<String, String> target(String key, String value) {
        return value == null ? Map.of() : Map.of(key, value);
    }

    /** The step's failure: which checks failed and what they found, and what could not be removed. */
    static String failureMessage(RestoreVerification.Result r) {
        StringBuilder sb = new StringBuilder(Messages.VerifyOperation_failed(r.restorePointId()));
        for (VerificationReport.Check c : r.report().failures()) {
            sb.append("\n  FAIL ").append(c.name()).append(": ").append(c.details());
        }
        for (String l : r.leftovers()) {
            sb.append("\n  LEFT BEHIND: ").append(l);
        }
        return sb.toString();
    }

    /** The step's return value: plain strings, numbers, booleans, lists and maps. */
    static Map<String, Object> toMap(RestoreVerification.Result r, String homeCheckedOn) {
        VerificationReport report = r.report();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("restorePointId", r.restorePointId());
        m.put("passed", r.passed());
        m.put("verificationPassed", report.passed());
        m.put("restoreMillis", r.restoreMillis());
        m.put("verifyMillis", report.elapsedMillis());
        m.put("repositoriesInDatabase", report.repositoriesInDatabase());
        m.put("repositoryDirectories", report.repositoryDirectories());
        m.put("fsckSampled", report.fsckSampled());
        m.put("homeCheckedOn", homeCheckedOn);
        List<Map<String, Object>> checks = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (VerificationReport.Check c : report.checks()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", c.name());
            row.put("outcome", c.outcome().name());
            row.put("details", c.details());
            checks.add(row);
            if (c.outcome() == VerificationReport.Outcome.FAIL) {
                failed.add(c.name());
            }
        }
        m.put("checks", checks);
        m.put("failedChecks", failed);
        m.put("leftovers", new ArrayList<>(r.leftovers()));
        return m;
    }
}
