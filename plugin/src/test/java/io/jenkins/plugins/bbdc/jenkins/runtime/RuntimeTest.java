package io.jenkins.plugins.bbdc.jenkins.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RuntimeTest {

    @Test
    void credentialsProblemsNameTheIdAndWhatNeedsIt() {
        assertThat(CredentialsResolution.problem("bb-admin", true, null, "the Bitbucket instance 'prod'",
                "Username with password")).isNull();
        assertThat(CredentialsResolution.problem("bb-admin", false, null, "the Bitbucket instance 'prod'",
                "Username with password")).contains("'bb-admin'").contains("instance 'prod'").contains("UseItem");
        assertThat(CredentialsResolution.problem("bb-token", false, "StringCredentialsImpl",
                "the Bitbucket instance 'prod'", "Username with password"))
                .contains("'bb-token'").contains("StringCredentialsImpl").contains("Username with password");
        assertThat(CredentialsResolution.problem(" ", false, null, "the Bitbucket instance 'prod'",
                "Username with password")).contains("No credentials entry is configured");
    }

    @Test
    void eventsBecomeOneConciseLineAndTheStatus() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        AtomicReference<String> status = new AtomicReference<>();
        var sink = EventLines.sink(new PrintStream(buf, true, StandardCharsets.UTF_8), status::set, false);
        Instant t = Instant.parse("2026-11-21T03:00:00Z");
        sink.emit(OperationEvent.info(t, "backup", "capture", "snapshot taken").withComponent("home")
                .withPercent(100).withElapsed(412L));
        sink.emit(new OperationEvent(t, OperationEvent.Level.DEBUG, "backup", "poll", null, null, null, null, "noise"));
        sink.emit(OperationEvent.info(t, "upgrade", "node", "waiting for ACTIVE").withNode("bb-node-2")
                .withLevel(OperationEvent.Level.WARNING));
        String log = buf.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("[bitbucket] backup capture home: snapshot taken (100%, 412 ms)")
                .contains("[bitbucket] WARNING upgrade node [bitbucket-node-2]".replace("bitbucket-node", "bb-node"))
                .doesNotContain("noise");
        assertThat(status.get()).isEqualTo("node bb-node-2: waiting for ACTIVE");
    }

    @Test
    void commandsForAnotherUserAreWrappedInRunuserWithoutAShell() {
        CommandSpec spec = CommandSpec.of("pg_dump", "--snapshot", "00000003-1").runAs("postgres").build();
        assertThat(LauncherCommandRunner.argv(spec))
                .containsExactly("runuser", "-u", "postgres", "--", "pg_dump", "--snapshot", "00000003-1");
        assertThat(LauncherCommandRunner.argv(CommandSpec.of("zfs", "list").build())).containsExactly("zfs", "list");
    }
}
