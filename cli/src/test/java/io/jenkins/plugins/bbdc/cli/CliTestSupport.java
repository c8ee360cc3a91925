package io.jenkins.plugins.bbdc.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs bbdc-ops in-process and captures stdout, stderr and the exit code. */
final class CliTestSupport {
    record Run(int exitCode, String out, String err) {
        /** Both streams, for assertion messages. */
        String all() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private CliTestSupport() {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BbdcOps.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
