package io.jenkins.plugins.bbdc.cli;

import io.jenkins.plugins.bbdc.cli.config.CliConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every operation command takes. */
final class CommonOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "${env:BBDC_OPS_CONFIG:-bbdc-ops.yaml}",
            description = "Configuration file (YAML; docs/cli.md). Default: $BBDC_OPS_CONFIG or ./bbdc-ops.yaml")
    Path config;

    @Option(names = "--json", description = "Print a machine-readable JSON result on stdout (progress stays on stderr)")
    boolean json;

    CliConfig load() {
        return CliConfig.load(config);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    ProgressPrinter progress() {
        return new ProgressPrinter(err(), System.console() != null && !json);
    }
}
