package io.jenkins.plugins.bbdc.core.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.exec.CommandFailedException;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-template node action, run for real through ProcessCommandRunner. */
class CommandNodeActionTest {
    @TempDir
    Path dir;

    private final UpgradeNodeContext node = new UpgradeNodeContext("a1", "bb node; rm -rf /", "10.0.0.1",
            "http://10.0.0.1:7990", "8.19.1", "8.19.3", 1, 3, false);

    private Path script(String body) throws Exception {
        Path s = dir.resolve("upgrade-node.sh");
        Files.writeString(s, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    @Test
    void placeholdersAreExpandedPerArgumentWithoutAShell() throws Exception {
        Path out = dir.resolve("out.txt");
        Path s = script("for a in \"$@\"; do echo \"arg:$a\" >> " + out + "; done\n"
                + "echo \"env:$BITBUCKET_NODE_NAME:$BITBUCKET_TARGET_VERSION\" >> " + out + "\n");
        CommandNodeAction action = new CommandNodeAction(new ProcessCommandRunner(), new CommandTemplate(
                List.of(s.toString(), "--host={nodeHost}", "{nodeName}", "{targetVersion}", "{nodeUrl}/status",
                        "{originalVersion}"), Duration.ofSeconds(30)));

        assertThat(action.perform(node)).isEqualTo(NodeAction.Progress.DONE);

        assertThat(Files.readAllLines(out)).containsExactly("arg:--host=10.0.0.1", "arg:bb node; rm -rf /",
                "arg:8.19.3", "arg:http://10.0.0.1:7990/status", "arg:8.19.1", "env:bb node; rm -rf /:8.19.3");
        assertThat(action.describe(node)).singleElement().asString()
                .contains("'bb node; rm -rf /'").contains("8.19.3");
    }

    @Test
    void aFailingCommandFailsTheActionWithItsExitCodeAndStderr() throws Exception {
        Path s = script("echo 'package bitbucket-8.19.3 not found' >&2\nexit 3\n");
        CommandNodeAction action = new CommandNodeAction(new ProcessCommandRunner(),
                new CommandTemplate(List.of(s.toString(), "{targetVersion}"), Duration.ofSeconds(30)));

        assertThatThrownBy(() -> action.perform(node)).isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("exited with code 3").hasMessageContaining("package bitbucket-8.19.3 not found");
    }

    @Test
    void unknownPlaceholdersAndEmptyTemplatesAreRefused() {
        assertThatThrownBy(() -> new CommandTemplate(List.of("ssh", "{nodeHots}"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown placeholder {nodeHots}")
                .hasMessageContaining("{nodeHost}");
        assertThatThrownBy(() -> new CommandTemplate(List.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least the program");
        // braces that are not placeholders (awk programs, JSON) pass through untouched
        assertThat(new CommandTemplate(List.of("awk", "{print $1}"), null).expand(node).command())
                .containsExactly("awk", "{print $1}");
    }
}
