package io.jenkins.plugins.bbdc.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** Running as another OS user ({@code runuser}, needs root) keeps secrets out of every process's argument list. */
class ProcessCommandRunnerRunAsTest {

    @Test
    void secretEnvironmentReachesTheUsersProcessButNoArgumentList() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "runuser needs root");
        String secret = "s3cret-" + System.nanoTime();
        // prints: who runs it, whether the variable arrived, and every argument list of it and its parent (runuser)
        CommandSpec spec = CommandSpec.of("sh", "-c", "id -un; [ \"$BBDC_TEST_SECRET\" = \"$EXPECTED\" ] && echo"
                        + " received; tr '\\0' ' ' < /proc/$$/cmdline; echo; tr '\\0' ' ' < /proc/$PPID/cmdline")
                .secretEnv("BBDC_TEST_SECRET", secret)
                .env("EXPECTED", secret)
                .runAs("postgres")
                .build();

        CommandResult r = new ProcessCommandRunner().run(spec);

        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("postgres\nreceived\n");
        assertThat(r.stdout()).contains("runuser -u postgres").doesNotContain("BBDC_TEST_SECRET=")
                .doesNotContain("****");
    }
}
