package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.config.CliConfig;
import io.jenkins.plugins.bbdc.core.catalog.FileCatalog;
import io.jenkins.plugins.bbdc.core.restorepoint.ComponentRecord;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bbdc-ops list}: the restore points of the configured instance, oldest first. */
@Command(name = "list", description = "List the restore points of the configured instance.")
final class ListCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        CliConfig config = common.load();
        List<RestorePoint> points = new FileCatalog(config.catalog()).list(config.instance().id());
        if (common.json) {
            JsonOutput.print(common.out(), points);
            return ExitCodes.OK;
        }
        PrintWriter out = common.out();
        if (points.isEmpty()) {
            out.println("no restore points for instance " + config.instance().id() + " in " + config.catalog());
            return ExitCodes.OK;
        }
        out.printf("%-22s %-9s %-13s %-24s %8s %10s  %s%n", "ID", "STATUS", "MODE", "FENCE", "SKEW ms", "LOCK ms",
                "COMPONENTS");
        for (RestorePoint p : points) {
            out.printf("%-22s %-9s %-13s %-24s %8s %10s  %s%n", p.id(), p.status(),
                    p.mode() == null ? "-" : p.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    p.fence() == null ? "-" : p.fence().toString(), p.skewMillis() == null ? "-" : p.skewMillis(),
                    p.lockWindowMillis() == null ? "-" : p.lockWindowMillis(),
                    String.join(", ", p.components().stream().map(ComponentRecord::role).toList()));
        }
        return ExitCodes.OK;
    }
}
