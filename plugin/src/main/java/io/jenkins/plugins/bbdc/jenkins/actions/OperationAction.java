package io.jenkins.plugins.bbdc.jenkins.actions;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import io.jenkins.plugins.bbdc.jenkins.Messages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.RunAction2;

/**
 * The build page of one operation (backup, restore, rolling upgrade): the same plain values the step returns —
 * the restore point with its components, timings, skew and lock window, or the node-by-node upgrade timeline. Saved
 * in {@code build.xml}, so it holds nothing secret (the engines never put secrets in results).
 */
public final class OperationAction implements RunAction2 {
    private final String kind;
    private final String instanceId;
    private final int index;
    private final Map<String, Object> result;
    private final String failure;
    private transient Run<?, ?> run;

    public OperationAction(String kind, String instanceId, int index, @CheckForNull Map<String, Object> result,
                           @CheckForNull String failure) {
        this.kind = kind;
        this.instanceId = instanceId;
        this.index = index;
        this.result = result == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(result));
        this.failure = failure;
    }

    public String getKind() {
        return kind;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public Map<String, Object> getResult() {
        return result;
    }

    @CheckForNull
    public String getFailure() {
        return failure;
    }

    public boolean isSucceeded() {
        return failure == null;
    }

    /** Scalar values of the result, for the summary table. */
    public Map<String, Object> getSummary() {
        Map<String, Object> out = new LinkedHashMap<>();
        result.forEach((k, v) -> {
            if (!(v instanceof Map) && !(v instanceof List)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** A list of row maps from the result ({@code components}, {@code nodes}), for the detail tables. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> rows(String key) {
        Object v = result.get(key);
        List<Map<String, Object>> rows = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    rows.add((Map<String, Object>) m);
                }
            }
        }
        return rows;
    }

    /**
     * Column names of {@link #rows}: the union of the rows' keys in first-seen order, except keys holding lists
     * (a component's {@code copies}), which get their own table.
     */
    public List<String> columns(String key) {
        List<String> cols = new ArrayList<>();
        for (Map<String, Object> row : rows(key)) {
            row.forEach((k, v) -> {
                if (!(v instanceof List) && !cols.contains(k)) {
                    cols.add(k);
                }
            });
        }
        return cols;
    }

    /**
     * The components' copies in other regions, one row each: {@code role}, {@code region}, {@code snapshot},
     * {@code complete} (its {@code durableAt} is known), {@code durableAt}.
     */
    public List<Map<String, Object>> getCopies() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> component : rows("components")) {
            if (component.get("copies") instanceof List<?> copies) {
                for (Object o : copies) {
                    if (o instanceof Map<?, ?> copy) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("role", component.get("role"));
                        row.put("region", copy.get("region"));
                        row.put("snapshot", copy.get("id"));
                        row.put("complete", copy.get("durableAt") != null);
                        row.put("durableAt", copy.get("durableAt"));
                        out.add(row);
                    }
                }
            }
        }
        return out;
    }

    /** Component role → why its copy to another region is missing (the restore point itself is complete). */
    public Map<String, String> getCopyFailures() {
        Map<String, String> out = new LinkedHashMap<>();
        if (result.get("copyFailures") instanceof Map<?, ?> failures) {
            failures.forEach((role, reason) -> out.put(String.valueOf(role), String.valueOf(reason)));
        }
        return out;
    }

    /** Plain-text lists of the result ({@code operatorSteps}). */
    public List<String> lines(String key) {
        Object v = result.get(key);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Map)) {
                    out.add(String.valueOf(o));
                }
            }
        }
        return out;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    @CheckForNull
    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return "clipboard.png";
    }

    @Override
    public String getDisplayName() {
        return Messages.OperationAction_displayName(kind, instanceId);
    }

    @Override
    public String getUrlName() {
        return "bitbucket-" + kind + "-" + index;
    }
}
