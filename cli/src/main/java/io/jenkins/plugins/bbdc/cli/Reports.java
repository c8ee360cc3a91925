package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import java.io.PrintWriter;

/** Human-readable results on stdout. */
final class Reports {
    private Reports() {
    }

    static void restorePoint(PrintWriter out, RestorePoint p) {
        out.println("restore point " + p.id() + ": " + p.status()
                + (p.failureReason() == null ? "" : " — " + p.failureReason()));
        out.println("  instance " + p.instance() + ", Bitbucket " + p.bitbucketVersion() + ", mode "
                + p.mode() + ", fence " + p.fence());
        out.println("  skew " + p.skewMillis() + " ms" + (p.lockWindowMillis() == null ? ""
                : ", lock window " + p.lockWindowMillis() + " ms"));
        for (ComponentRecord c : p.components()) {
            out.printf("  %-18s %-10s %s  captured %s  durable %s%s%n", c.role(), c.provider(), c.reference().id(),
                    c.capturedAt(), c.durableAt(), c.sizeBytes() == null ? "" : "  " + c.sizeBytes() + " bytes");
            for (var copy : c.copies()) {
                out.printf("  %-18s %-10s %s  in %s  %s%n", "", "copy", copy.id(), copy.attribute("region"),
                        copy.durableAt() == null ? "NOT complete" : "complete " + copy.durableAt());
            }
            if (c.copyFailure() != null) {
                out.printf("  %-18s COPY FAILED: %s%n", "", c.copyFailure());
            }
        }
        for (var l : p.leftovers()) {
            out.println("  LEFT BEHIND: " + l.role() + " " + l.provider() + " " + l.id());
        }
        p.notes().forEach(n -> out.println("  note: " + n));
        out.flush();
    }
}
