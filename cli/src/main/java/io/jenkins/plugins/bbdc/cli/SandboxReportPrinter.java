package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.sandbox.SandboxReport;
import java.io.PrintWriter;

/** The sandbox's final report for people. */
final class SandboxReportPrinter {
    private SandboxReportPrinter() {
    }

    static void print(PrintWriter out, SandboxReport r, long totalMillis) {
        out.println();
        out.println("=== bbdc-ops sandbox report: " + (r.passed ? "PASS" : "FAIL") + " in " + totalMillis + " ms ===");
        out.println("restore points:");
        out.printf("  %-22s %-13s %-9s %-26s %8s %9s  %s%n", "ID", "MODE", "STATUS", "FENCE", "SKEW ms", "LOCK ms",
                "COMPONENTS");
        for (SandboxReport.Point p : r.restorePoints) {
            out.printf("  %-22s %-13s %-9s %-26s %8s %9s  %s%n", p.id(), p.mode(), p.status(), p.fence(),
                    p.skewMillis() == null ? "-" : p.skewMillis(),
                    p.lockWindowMillis() == null ? "-" : p.lockWindowMillis(), String.join(", ", p.components()));
        }
        if (r.restoreTest != null) {
            out.println("restore test: " + r.restoreTest + " (restore " + r.restoreTestMillis + " ms)");
        }
        if (r.pointInTimeRestore != null) {
            out.println("point-in-time restore: " + r.pointInTimeRestore + " (restore " + r.pointInTimeRestoreMillis
                    + " ms)");
        }
        if (r.upgrade != null) {
            out.println("rolling upgrade: " + r.upgrade + (r.upgradeMillis == null ? "" : " in " + r.upgradeMillis
                    + " ms"));
            for (SandboxReport.NodeTiming n : r.upgradeTimeline) {
                out.printf("  %-12s %s → %s  %6d ms%n", n.node(), n.fromVersion(), n.toVersion(), n.totalMillis());
            }
            out.println("  load balancer during the upgrade: " + r.loadRequestsAnswered + " requests answered, "
                    + r.loadRequestsFailed + " failed");
        }
        out.println("steps:");
        r.stepMillis.forEach((step, ms) -> out.printf("  %7d ms  %s%n", ms, step));
        r.skipped.forEach(s -> out.println("  skipped: " + s));
        r.failures.forEach(f -> out.println("  FAILED: " + f));
        out.println("nothing is left running or mounted.");
        out.flush();
    }
}
