package io.jenkins.plugins.bbdc.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.bbdc.core.provider.HttpRetry.Kind;
import io.jenkins.plugins.bbdc.core.testsupport.ManualClock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which answers and failures are repeated for which kind of call, and how long each wait is. */
class HttpRetryTest {
    private static final HttpRetryPolicy POLICY = new HttpRetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(30), 4);
    private final Deque<String[]> script = new ConcurrentLinkedDeque<>(); // status, Retry-After (or null)
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(300, TimeUnit.MILLISECONDS)
            .retryOnConnectionFailure(false).build();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", ex -> {
            try (ex) {
                requests.incrementAndGet();
                String[] next = script.isEmpty() ? new String[] {"200", null} : script.poll();
                if (next[0].equals("hang")) {
                    sleepQuietly();
                    return;
                }
                if (next[1] != null) {
                    ex.getResponseHeaders().set("Retry-After", next[1]);
                }
                byte[] body = ("{\"status\":" + next[0] + "}").getBytes();
                ex.sendResponseHeaders(Integer.parseInt(next[0]), body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void answers(String... statuses) {
        for (String s : statuses) {
            String[] parts = s.split(";");
            script.add(new String[] {parts[0], parts.length > 1 ? parts[1] : null});
        }
    }

    private HttpRetry.Answer call(Kind kind) throws Exception {
        Request r = new Request.Builder().url("http://127.0.0.1:" + server.getAddress().getPort() + "/x")
                .method(kind == Kind.READ ? "GET" : "POST", kind == Kind.READ ? null
                        : okhttp3.RequestBody.create(new byte[0], null)).build();
        return new HttpRetry(http, POLICY, a -> false).execute(r, kind, clock.sleeper());
    }

    @Test
    void tooManyRequestsIsRepeatedForEveryKindOfCall() throws Exception {
        for (Kind kind : Kind.values()) {
            answers("429", "429", "200");
            HttpRetry.Answer a = call(kind);
            assertThat(a.code()).as(kind.name()).isEqualTo(200);
            assertThat(a.retries()).isEqualTo(2);
        }
    }

    @Test
    void serviceUnavailableIsRepeatedForReadsAndRepeatableChangesOnly() throws Exception {
        answers("503", "502", "504", "200");
        assertThat(call(Kind.READ).code()).isEqualTo(200);
        answers("503", "200");
        assertThat(call(Kind.REPEATABLE).code()).isEqualTo(200);
        answers("504");
        assertThat(call(Kind.REPEATABLE)).extracting(HttpRetry.Answer::code, HttpRetry.Answer::retries)
                .containsExactly(504, 0);
        answers("503");
        assertThat(call(Kind.ONCE)).extracting(HttpRetry.Answer::code, HttpRetry.Answer::retries)
                .containsExactly(503, 0);
    }

    @Test
    void retryAfterIsWaitedAtLeastAndTheBackOffGrowsWithJitterUpToItsCap() throws Exception {
        answers("429;120", "429", "429", "429", "200");
        call(Kind.READ);
        List<Duration> sleeps = clock.sleeps();
        assertThat(sleeps).hasSize(4);
        assertThat(sleeps.get(0)).isEqualTo(Duration.ofSeconds(120));
        assertThat(sleeps.get(1)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
        assertThat(sleeps.get(2)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
        assertThat(sleeps.get(3)).isBetween(Duration.ofSeconds(16), Duration.ofSeconds(24));
        assertThat(HttpRetry.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).as("a date in the past")
                .isEqualTo(Duration.ZERO);
        assertThat(HttpRetry.retryAfter("86400")).as("capped").isEqualTo(Duration.ofMinutes(15));
        assertThat(HttpRetry.retryAfter("soon")).isNull();
    }

    @Test
    void theLastPushbackIsReturnedOnceTheRetriesAreSpent() throws Exception {
        answers("429", "429", "429", "429", "429", "200");
        HttpRetry.Answer a = call(Kind.ONCE);
        assertThat(a.code()).isEqualTo(429);
        assertThat(a.retries()).isEqualTo(4);
        assertThat(a.pushbackNote()).contains("after 4 retries");
        assertThat(requests.get()).isEqualTo(5);
    }

    @Test
    void aChangeThatTimedOutIsNotRepeatedButAReadIs() throws Exception {
        answers("hang");
        assertThatThrownBy(() -> call(Kind.REPEATABLE)).isInstanceOf(SocketTimeoutException.class)
                .satisfies(e -> assertThat(HttpRetry.mayHaveRun((IOException) e, Kind.REPEATABLE)).isTrue());
        assertThat(requests.get()).isEqualTo(1);
        answers("hang");
        assertThat(call(Kind.READ).code()).isEqualTo(200);
        assertThat(requests.get()).isEqualTo(3);
    }

    @Test
    void aConnectionThatCouldNotBeOpenedIsRepeatedEvenForAChange() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Request r = new Request.Builder().url("http://127.0.0.1:" + closedPort + "/x")
                .post(okhttp3.RequestBody.create(new byte[0], null)).build();
        assertThatThrownBy(() -> new HttpRetry(http, POLICY, a -> false).execute(r, Kind.ONCE, clock.sleeper()))
                .isInstanceOf(ConnectException.class)
                .satisfies(e -> assertThat(HttpRetry.mayHaveRun((IOException) e, Kind.ONCE)).isFalse());
        assertThat(clock.sleeps()).hasSize(4);
    }
}
