package io.jenkins.plugins.bbdc.core.retention;

import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import java.util.ArrayList;
import java.util.List;

/**
 * What retention would do: one decision per restore point of one instance, with the reasons. This is the dry run;
 * {@link RetentionExecutor} carries it out.
 */
public record RetentionPlan(String instance, RetentionPolicy policy, List<Decision> decisions) {

    /** Keep or delete one restore point, and why (every rule that kept it, or the reason it goes). */
    public record Decision(RestorePoint point, boolean keep, List<String> reasons) {
        public String describe() {
            return (keep ? "keep   " : "delete ") + point.id() + " " + point.status() + " fence " + point.effectiveFence()
                    + " — " + String.join("; ", reasons);
        }
    }

    public RetentionPlan {
        decisions = List.copyOf(decisions);
    }

    public List<RestorePoint> toDelete() {
        return decisions.stream().filter(d -> !d.keep()).map(Decision::point).toList();
    }

    public List<RestorePoint> toKeep() {
        return decisions.stream().filter(Decision::keep).map(Decision::point).toList();
    }

    /** One line per restore point, newest first, for dry-run output. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        out.add("retention of " + instance + " with " + policy.describe() + ": keep " + toKeep().size() + ", delete "
                + toDelete().size());
        decisions.forEach(d -> out.add(d.describe()));
        return out;
    }
}
