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

    /** Column names of {@link #rows}: the union of the rows' keys in first-seen order. */
    public List<String> columns(String key) {
        List<String> cols = new ArrayList<>();
        for (Map<String, Object> row : rows(key)) {
            for (String k : row.keySet()) {
                if (!cols.contains(k)) {
                    cols.add(k);
                }
            }
        }
        return cols;
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
