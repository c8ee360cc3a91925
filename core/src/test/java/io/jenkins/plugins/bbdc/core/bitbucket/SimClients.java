package io.jenkins.plugins.bbdc.core.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.bbdc.core.time.Sleeper;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** Helpers for tests of the client against the simulator over real HTTP. */
final class SimClients {
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin";

    private SimClients() {
    }

    /** Short timeouts and a retry policy without jitter, waits recorded instead of slept. */
    static BitbucketClientOptions.Builder options(BitbucketSimulator sim, RecordingSleeper sleeper) {
        return BitbucketClientOptions.builder(sim.baseUrl())
                .basicAuth(ADMIN, ADMIN_PASSWORD)
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5))
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 0))
                .sleeper(sleeper)
                .random(new Random(7));
    }

    static BitbucketAdminClient client(BitbucketSimulator sim, RecordingSleeper sleeper) {
        return new BitbucketAdminClient(options(sim, sleeper).build());
    }

    /** Waits (really) until the simulator reaches a condition; the simulator's own clocks drive it. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** A Sleeper that records the waits and returns at once. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> waits = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration duration) {
            waits.add(duration);
        }
    }

    /**
     * Stands for a Bitbucket whose {@code GET /rest/zdu/cluster} carries different links: rewrites that response's
     * JSON on its way to the client (everything else passes untouched). The HTTP exchange itself stays real.
     */
    static Interceptor rewriteZduCluster(Consumer<ObjectNode> edit) {
        ObjectMapper mapper = new ObjectMapper();
        return chain -> {
            Response response = chain.proceed(chain.request());
            if (!chain.request().method().equals("GET") || !chain.request().url().encodedPath()
                    .endsWith("/rest/zdu/cluster") || response.code() != 200) {
                return response;
            }
            ObjectNode json;
            try (ResponseBody body = response.body()) {
                json = (ObjectNode) mapper.readTree(body.string());
            }
            edit.accept(json);
            return response.newBuilder().body(ResponseBody.create(mapper.writeValueAsString(json),
                    MediaType.get("application/json"))).build();
        };
    }

    /** Replaces the href of link {@code rel} in a cluster JSON. */
    static void setLink(ObjectNode cluster, String rel, String href) {
        for (JsonNode link : cluster.withArray("links")) {
            if (rel.equals(link.path("rel").asText())) {
                ((ObjectNode) link).put("href", href);
            }
        }
    }

    static RuntimeException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
