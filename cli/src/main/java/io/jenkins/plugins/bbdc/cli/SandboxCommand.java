package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.sandbox.SandboxReport;
import io.jenkins.plugins.bbdc.cli.sandbox.SandboxRun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bbdc-ops sandbox}: the whole story on this machine, with nothing left running or mounted afterwards. */
@Command(name = "sandbox", description = "Run the whole story locally: Bitbucket simulator, PostgreSQL, real git"
        + " repositories; zero-downtime and locked backups, a restore test, a point-in-time restore and a rolling"
        + " upgrade under load; then a report. Leaves nothing running or mounted.")
final class SandboxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the final report as JSON on stdout")
    boolean json;

    @Option(names = "--workdir", paramLabel = "DIR", description = "Working directory (default: a new temporary one,"
            + " removed afterwards)")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean temporary = workDir == null;
        Path dir = temporary ? Files.createTempDirectory("bbdc-ops-sandbox-") : workDir;
        long t0 = System.nanoTime();
        SandboxReport report;
        try {
            report = SandboxRun.run(dir, new ProgressPrinter(err, System.console() != null && !json));
        } finally {
            if (temporary) {
                FileTrees.deleteQuietly(dir);
            }
        }
        long total = (System.nanoTime() - t0) / 1_000_000;
        if (json) {
            JsonOutput.print(out, report);
        } else {
            SandboxReportPrinter.print(out, report, total);
        }
        return report.passed ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
