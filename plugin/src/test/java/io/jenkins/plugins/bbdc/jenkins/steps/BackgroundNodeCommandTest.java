package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.upgrade.NodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeNodeContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node command of a Pipeline rolling upgrade runs off the poll thread: the poll only starts and checks on it,
 * a stop interrupts it, and a command lost to a restart is judged from the node.
 */
class BackgroundNodeCommandTest {
    private static final String OWNER = "upgrades#5#rolling-upgrade-1";
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();

    @AfterEach
    void forget() {
        BackgroundNodeCommand.forgetAllForTests();
    }

    static UpgradeNodeContext node(boolean alreadyStarted) {
        return new UpgradeNodeContext("id-1", "bb-node-1", "10.0.1.11", "http://10.0.1.11:7990", "8.19.1", "8.19.2",
                1, 2, alreadyStarted);
    }

    /** A runner whose command blocks until released; {@code exit} is its exit code. */
    private CommandRunner blocking(CountDownLatch release, int exit) {
        return spec -> {
            threads.add(Thread.currentThread().getName());
            release.await();
            return new CommandResult(spec.command(), exit, "", exit == 0 ? "" : "upgrade.sh: disk full", 5);
        };
    }

    private BackgroundNodeCommand command(CommandRunner runner, boolean untouched) {
        NodeAction sync = UpgradeExecution.commandAction(runner, "/opt/upgrade.sh {nodeHost} {targetVersion}", 20);
        return new BackgroundNodeCommand(OWNER, sync, n -> untouched, log::add);
    }

    @Test
    void thePollStartsTheCommandAndOnlyChecksOnItUntilItEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BackgroundNodeCommand action = command(blocking(release, 0), true);

        long t0 = System.nanoTime();
        assertThat(action.perform(node(false))).isEqualTo(NodeAction.Progress.IN_PROGRESS);
        assertThat(action.perform(node(true))).isEqualTo(NodeAction.Progress.IN_PROGRESS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1000);
        assertThat(action.synchronous()).isFalse();
        assertThat(action.describe(node(false))).singleElement().asString()
                .contains("/opt/upgrade.sh 10.0.1.11 8.19.2");

        release.countDown();
        NodeAction.Progress p = NodeAction.Progress.IN_PROGRESS;
        for (int i = 0; i < 500 && p == NodeAction.Progress.IN_PROGRESS; i++) {
            Thread.sleep(10);
            p = action.perform(node(true));
        }
        assertThat(p).isEqualTo(NodeAction.Progress.DONE);
        assertThat(threads).singleElement().asString().startsWith("bbdc-node-command-bb-node-1")
                .isNotEqualTo(Thread.currentThread().getName());
        assertThat(BackgroundNodeCommand.running(OWNER)).isFalse();
    }

    @Test
    void aFailedCommandFailsTheNodeWithItsExitCode() throws Exception {
        BackgroundNodeCommand action = command(blocking(new CountDownLatch(0), 3), true);
        action.perform(node(false));
        assertThatThrownBy(() -> {
            for (int i = 0; i < 500; i++) {
                if (action.perform(node(true)) == NodeAction.Progress.DONE) {
                    return;
                }
                Thread.sleep(10);
            }
        }).hasMessageContaining("3").hasMessageContaining("disk full");
    }

    @Test
    void aStopInterruptsTheCommandAndWaitsOnlyUntilItHasEnded() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        CommandRunner runner = spec -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // a command that would run for the whole node timeout
            } catch (InterruptedException e) {
                interrupted.set(true);   // Launcher's join kills the process when interrupted
                throw e;
            }
            return null;
        };
        BackgroundNodeCommand action = command(runner, true);
        action.perform(node(false));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        boolean wait = BackgroundNodeCommand.stopping(OWNER);
        for (int i = 0; i < 500 && wait; i++) {
            Thread.sleep(10);
            wait = BackgroundNodeCommand.stopping(OWNER);
        }
        assertThat(wait).isFalse();
        assertThat(interrupted).isTrue();
        assertThat(BackgroundNodeCommand.stopping("another-step")).isFalse();
    }

    @Test
    void aCommandLostToARestartRunsAgainOnlyIfTheNodeIsUntouched() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CommandRunner runner = spec -> {
            ran.add(String.join(" ", spec.command()));
            return new CommandResult(spec.command(), 0, "", "", 1);
        };
        // the engine's state says the action began; nothing of it is in memory (a restart)
        assertThat(command(runner, false).perform(node(true))).isEqualTo(NodeAction.Progress.DONE);
        assertThat(ran).isEmpty();
        assertThat(log).singleElement().asString().contains("bb-node-1").contains("instead of running the command twice");

        BackgroundNodeCommand untouched = command(runner, true);
        assertThat(untouched.perform(node(true))).isEqualTo(NodeAction.Progress.IN_PROGRESS);
        for (int i = 0; i < 500 && ran.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertThat(ran).containsExactly("/opt/upgrade.sh 10.0.1.11 8.19.2");
        assertThat(log.get(1)).contains("running it again");
    }

    @Test
    void theEndOfTheStepInterruptsWhateverCommandIsLeft() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        BackgroundNodeCommand action = command(spec -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return null;
        }, true);
        action.perform(node(false));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        BackgroundNodeCommand.forget(OWNER);
        for (int i = 0; i < 500 && !interrupted.get(); i++) {
            Thread.sleep(10);
        }
        assertThat(interrupted).isTrue();
        assertThat(BackgroundNodeCommand.running(OWNER)).isFalse();
    }
}
