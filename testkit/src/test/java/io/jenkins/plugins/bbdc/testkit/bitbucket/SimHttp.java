package io.jenkins.plugins.bbdc.testkit.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;

/** Test-side HTTP over java.net.http (deliberately not the engine's client), with Bitbucket's usual headers. */
final class SimHttp {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private String authorization = basic("admin", "admin");

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    SimHttp as(String user, String password) {
        authorization = basic(user, password);
        return this;
    }

    SimHttp authorization(String header) {
        authorization = header;
        return this;
    }

    HttpResponse<String> get(URI base, String path, String... headers) {
        return send(base, "GET", path, headers);
    }

    /** A mutating call with the headers a well-behaved client sends (JSON content type, XSRF opt-out). */
    HttpResponse<String> post(URI base, String path, String... headers) {
        return send(base, "POST", path, concat(headers, "Content-Type", "application/json",
                "X-Atlassian-Token", "no-check"));
    }

    HttpResponse<String> delete(URI base, String path, String... headers) {
        return send(base, "DELETE", path, concat(headers, "Content-Type", "application/json"));
    }

    /** Exactly the given headers (plus Authorization when set). */
    HttpResponse<String> send(URI base, String method, String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        try {
            return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static String errorMessage(HttpResponse<String> response) {
        return json(response).path("errors").path(0).path("message").asText();
    }

    /** Waits for an asynchronous simulator transition (timed in tens of milliseconds). */
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
                throw new AssertionError(e);
            }
        }
    }

    private static String[] concat(String[] given, String... defaults) {
        String[] all = new String[given.length + defaults.length];
        System.arraycopy(given, 0, all, 0, given.length);
        int n = given.length;
        for (int i = 0; i < defaults.length; i += 2) {
            boolean overridden = false;
            for (int j = 0; j < given.length; j += 2) {
                overridden |= given[j].equalsIgnoreCase(defaults[i]);
            }
            if (!overridden) {
                all[n++] = defaults[i];
                all[n++] = defaults[i + 1];
            }
        }
        return java.util.Arrays.copyOf(all, n);
    }
}
