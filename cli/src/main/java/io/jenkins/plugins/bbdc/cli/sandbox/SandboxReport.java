package io.jenkins.plugins.bbdc.cli.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the sandbox measured, printed at the end (and as JSON with --json). */
public final class SandboxReport {
    /** One restore point taken by the sandbox. */
    public record Point(String id, String mode, String status, String fence, Long skewMillis, Long lockWindowMillis,
                        List<String> components) {
    }

    /** One upgraded node. */
    public record NodeTiming(String node, String fromVersion, String toVersion, long totalMillis) {
    }

    public final List<String> steps = new ArrayList<>();
    public final List<Point> restorePoints = new ArrayList<>();
    public final List<String> skipped = new ArrayList<>();
    public String restoreTest;
    public Long restoreTestMillis;
    public String pointInTimeRestore;
    public Long pointInTimeRestoreMillis;
    public String upgrade;
    public final List<NodeTiming> upgradeTimeline = new ArrayList<>();
    public Long upgradeMillis;
    public Long loadRequestsAnswered;
    public Long loadRequestsFailed;
    public final Map<String, Long> stepMillis = new LinkedHashMap<>();
    public boolean passed = true;
    public final List<String> failures = new ArrayList<>();
}
