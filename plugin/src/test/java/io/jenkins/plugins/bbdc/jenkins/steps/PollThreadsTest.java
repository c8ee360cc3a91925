package io.jenkins.plugins.bbdc.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The plugin's poll threads: a bounded number of threads and queued polls, and an orderly end with Jenkins. */
class PollThreadsTest {

    @Test
    void aFullQueueRefusesThePollInsteadOfRunningItOnTheCallersThread() throws Exception {
        PollThreads polls = new PollThreads("test poll", 1, 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try {
            polls.execute(() -> {
                started.countDown();
                await(release);
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Thread> queued = new CompletableFuture<>();
            polls.execute(() -> queued.complete(Thread.currentThread()));

            assertThatThrownBy(() -> polls.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);

            release.countDown();
            assertThat(queued.get(5, TimeUnit.SECONDS).getName()).startsWith("test poll ");
        } finally {
            release.countDown();
            polls.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void shutdownLetsARunningPollEndAndThenRefusesNewOnes() throws Exception {
        PollThreads polls = new PollThreads("test poll", 2, 4);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> ended = new CompletableFuture<>();
        polls.execute(() -> {
            started.countDown();
            try {
                Thread.sleep(200);
                ended.complete(true);
            } catch (InterruptedException e) {
                ended.complete(false);
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        polls.shutdown(Duration.ofSeconds(5));

        assertThat(ended.getNow(null)).as("the poll ended on its own, not interrupted").isTrue();
        assertThatThrownBy(() -> polls.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void sharedThreadsComeBackAfterAShutdownAsJenkinsOwnTimerDoes() {
        PollThreads first = PollThreads.shared();
        PollThreads.shutdownShared();
        PollThreads second = PollThreads.shared();
        assertThat(second).isNotSameAs(first);
        CompletableFuture<String> ran = new CompletableFuture<>();
        second.execute(() -> ran.complete(Thread.currentThread().getName()));
        assertThat(ran.join()).startsWith("bbdc-ops poll ");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
