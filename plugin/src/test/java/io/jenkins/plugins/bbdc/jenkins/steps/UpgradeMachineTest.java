package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.bitbucket.BitbucketAdmin;
import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.upgrade.NodeAction;
import io.jenkins.plugins.bbdc.core.upgrade.UpgradeOptions;
import io.jenkins.plugins.bbdc.jenkins.util.BitbucketClients;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Pipeline rolling upgrade with a {@code nodeCommand}, as the step drives it — the upgrade engine against the
 * Bitbucket simulator, polled from a timer — with a node command that really stops and starts the simulated node:
 * the command runs off the timer thread, and a stop while it runs returns at once, kills the command and cancels
 * upgrade mode (no node was upgraded).
 */
class UpgradeMachineTest {
    private static final String PASSWORD = "upgrade-admin-pw-7";
    private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "jenkins.util.Timer [stand-in]");
        t.setDaemon(true);
        return t;
    });
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    private final List<String> commandThreads = new CopyOnWriteArrayList<>();
    private BitbucketSimulator sim;

    @BeforeEach
    void cluster() {
        sim = BitbucketSimulator.builder().nodes(2).version("8.19.1").user("jenkins-ops", PASSWORD, true).start();
    }

    @AfterEach
    void tearDown() {
        timer.shutdownNow();
        sim.close();
        BackgroundNodeCommand.forgetAllForTests();
        InstanceLocks.Holder h = InstanceLocks.global().holder("prod");
        if (h != null) {
            InstanceLocks.global().release("prod", h.ownerId());
        }
    }

    /** The upgrade script: stops the node and starts it on the target version (argv: name, version). */
    private CommandRunner upgradeScript(CountDownLatch mayRun) {
        return spec -> {
            commandThreads.add(Thread.currentThread().getName());
            mayRun.await();
            List<String> argv = spec.command();
            BitbucketSimulator.SimNode node = sim.node(argv.get(1));
            node.stop();
            node.start(argv.get(2));
            return new CommandResult(argv, 0, "", "", 1);
        };
    }

    private OperationMachine machine(String owner, CommandRunner runner) {
        return UpgradeExecution.machine(owner, true, new UpgradeExecution.PollSetup() {
            @Override
            public BitbucketAdmin admin() throws Exception {
                return BitbucketClients.open(sim.baseUrl().toString(), null,
                        new UsernamePassword("jenkins-ops", PASSWORD));
            }

            @Override
            public NodeAction action(BitbucketAdmin admin) {
                return new BackgroundNodeCommand(owner,
                        UpgradeExecution.commandAction(runner, "upgrade {nodeName} {targetVersion}", 1),
                        node -> UpgradeExecution.untouched(admin, node), log::println);
            }

            @Override
            public UpgradeOptions options() {
                UpgradeOptions.Builder b = UpgradeOptions.builder("8.19.2").pollInterval(Duration.ofMillis(100))
                        .nodeTimeout(Duration.ofMinutes(1));
                for (BitbucketSimulator.SimNode n : sim.nodes()) {
                    b.nodeUrl(n.name(), n.url().toString());
                }
                return b.build();
            }

            @Override
            public PrintStream log() {
                return log;
            }
        });
    }

    /** The Jenkins side: the timer, the log, and how the step ended. */
    private class Host implements OperationLoop.Host {
        final OperationMachine machine;
        final CompletableFuture<String> ended = new CompletableFuture<>();
        volatile Map<String, Object> result;

        Host(OperationMachine machine) {
            this.machine = machine;
        }

        @Override
        public ScheduledExecutorService timer() {
            return timer;
        }

        @Override
        public Executor pollThreads() {
            return PollThreads.shared();
        }

        @Override
        public OperationMachine machine() {
            return machine;
        }

        @Override
        public String buildName() {
            return "upgrade #1";
        }

        @Override
        public void log(String line) {
            log.println(line);
        }

        @Override
        public void saveState() {
        }

        @Override
        public void finished(Map<String, Object> result, String failure) {
            this.result = result;
        }

        @Override
        public void complete(Map<String, Object> result, String failure) {
            ended.complete(failure == null ? "SUCCESS" : failure);
        }
    }

    @Test
    void everyNodeIsUpgradedByTheCommandRunningOffTheTimerThread() throws Exception {
        OperationLoop loop = new OperationLoop("rolling upgrade", "prod");
        Host host = new Host(null) {
            @Override
            public OperationMachine machine() {
                return UpgradeMachineTest.this.machine(loop.ownerId(), upgradeScript(new CountDownLatch(0)));
            }
        };
        loop.start("upgrade#1", host);

        assertThat(host.ended.get(60, TimeUnit.SECONDS)).as(logBytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("SUCCESS");
        assertThat(sim.nodes()).allSatisfy(n -> assertThat(n.version()).isEqualTo("8.19.2"));
        assertThat(sim.clusterState()).isEqualTo("STABLE");
        assertThat(host.result).containsEntry("phase", "DONE").containsEntry("finalVersion", "8.19.2");
        assertThat(commandThreads).hasSize(2)
                .allSatisfy(t -> assertThat(t).startsWith("bbdc-node-command-").doesNotContain("Timer"));
        assertThat(InstanceLocks.global().holder("prod")).isNull();
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).doesNotContain(PASSWORD);
    }

    @Test
    void aStopWhileTheCommandRunsReturnsAtOnceKillsItAndCancelsUpgradeMode() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        OperationLoop loop = new OperationLoop("rolling upgrade", "prod");
        Host host = new Host(null) {
            @Override
            public OperationMachine machine() {
                return UpgradeMachineTest.this.machine(loop.ownerId(), upgradeScript(never));
            }
        };
        loop.start("upgrade#1", host);
        for (int i = 0; i < 1000 && commandThreads.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertThat(commandThreads).hasSize(1);
        assertThat(sim.upgradeModeEnabled()).isTrue();
        // the timer thread is free while the command runs: polls go on and report it
        for (int i = 0; i < 500 && !loop.status().contains("still running"); i++) {
            Thread.sleep(10);
        }
        assertThat(loop.status()).contains("still running");

        long t0 = System.nanoTime();
        loop.stop("aborted by the user", host);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));

        String failure = host.ended.get(30, TimeUnit.SECONDS);
        assertThat(failure).startsWith("ABORTED");
        assertThat(BackgroundNodeCommand.running(loop.ownerId())).isFalse();
        assertThat(sim.upgradeModeEnabled()).isFalse();
        assertThat(sim.nodes()).allSatisfy(n -> assertThat(n.version()).isEqualTo("8.19.1"));
        assertThat(InstanceLocks.global().holder("prod")).isNull();
    }
}
