package io.jenkins.plugins.bbdc.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A chatty command (rsync -v over a large home, a script printing a log) cannot fill the JVM's memory: only the end of
 * its output is kept, which is where the error is, with a note of how much came before.
 */
class ProcessCommandRunnerOutputTest {

    @Test
    void onlyTheEndOfALargeOutputIsKept() throws Exception {
        // 12 MiB of numbered lines on stdout and 1 MiB on stderr, then a last line on each
        CommandSpec spec = CommandSpec.of("sh", "-c", "seq 1 1500000 | sed 's/$/ ......./'; echo LAST-OUT;"
                + " seq 1 130000 | sed 's/$/ stderr/' >&2; echo LAST-ERR >&2").build();

        CommandResult r = new ProcessCommandRunner().run(spec);

        assertThat(r.exitCode()).isZero();
        int outBytes = r.stdout().getBytes(StandardCharsets.UTF_8).length;
        int errBytes = r.stderr().getBytes(StandardCharsets.UTF_8).length;
        assertThat(outBytes).isLessThanOrEqualTo(ProcessCommandRunner.STDOUT_LIMIT + 200);
        assertThat(errBytes).isLessThanOrEqualTo(ProcessCommandRunner.STDERR_LIMIT + 200);
        assertThat(r.stdout()).endsWith("1500000 .......\nLAST-OUT\n").doesNotContain("\n1 .......\n");
        assertThat(r.stderr()).endsWith("130000 stderr\nLAST-ERR\n");
    }

    @Test
    void aSmallOutputIsKeptWhole() throws Exception {
        CommandResult r = new ProcessCommandRunner().run(CommandSpec.of("sh", "-c", "echo one; echo two >&2").build());

        assertThat(r.stdout()).isEqualTo("one\n");
        assertThat(r.stderr()).isEqualTo("two\n");
    }
}
