package io.jenkins.plugins.bbdc.core.restore;

import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a restore did (or, for a plan, would do).
 *
 * @param restorePointId the restore point restored
 * @param fence          the instant the restored data represents
 * @param outcomes       role → what its provider did
 * @param failures       role → why it failed (empty when every component was restored)
 * @param lockCleanup    stale git locks removed from the restored home, or null
 * @param operatorSteps  what the operator does next, in order
 * @param elapsedMillis  measured restore time
 */
public record RestoreResult(String restorePointId, Instant fence, Map<String, RestoreOutcome> outcomes,
                            Map<String, String> failures, GitLockCleaner.Report lockCleanup,
                            List<String> operatorSteps, long elapsedMillis) {
    public RestoreResult {
        outcomes = Map.copyOf(outcomes);
        failures = Map.copyOf(failures);
        operatorSteps = List.copyOf(operatorSteps);
    }

    public boolean succeeded() {
        return failures.isEmpty();
    }
}
