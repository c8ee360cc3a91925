package io.jenkins.plugins.bbdc.core.provider;

import java.util.List;
import java.util.Map;

/**
 * What a restore did.
 *
 * @param summary       one line: what was restored where
 * @param location      provider-specific values a verifier or operator needs (restored path, database name, new
 *                      volume id, new DB endpoint …)
 * @param operatorSteps what the operator must still do (attach a volume, swap a DB endpoint …), in order
 * @param actions       the commands/API calls made (or, for a dry run, that would be made), secrets masked
 */
public record RestoreOutcome(String summary, Map<String, String> location, List<String> operatorSteps,
                             List<String> actions) {
    public RestoreOutcome {
        location = location == null ? Map.of() : Map.copyOf(location);
        operatorSteps = operatorSteps == null ? List.of() : List.copyOf(operatorSteps);
        actions = actions == null ? List.of() : List.copyOf(actions);
    }
}
