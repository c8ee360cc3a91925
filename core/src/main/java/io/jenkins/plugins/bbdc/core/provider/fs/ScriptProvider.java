package io.jenkins.plugins.bbdc.core.provider.fs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.CheckReport;
import io.jenkins.plugins.bbdc.core.provider.PreparedCapture;
import io.jenkins.plugins.bbdc.core.provider.ProviderCapability;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.RestoreOutcome;
import io.jenkins.plugins.bbdc.core.provider.RestoreRequest;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The user's own commands for a technology we do not ship (a SAN, a cloud we do not cover …). Each operation is an
 * argument list run as-is (no shell unless the user names one), with the situation passed in {@code BBDC_*}
 * environment variables and results read from {@code key=value} lines (list: one JSON object per line). The contract
 * is in docs/providers-local.md.
 */
public final class ScriptProvider implements SnapshotProvider {
    /** Pause after a "not yet" answer (exit 75) of the awaitDurable command. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(15);
    /** Longest wait for the awaitDurable command to report the snapshot complete. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofHours(6);

    public static final String KIND = "script";
    /** Exit code of an await-durable command meaning "not complete yet, ask again" (sysexits EX_TEMPFAIL). */
    public static final int NOT_YET = 75;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Builder b;

    private ScriptProvider(Builder b) {
        this.b = b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configuration: one argument list per operation. */
    public static final class Builder {
        private List<String> check;
        private List<String> prepare;
        private List<String> capture;
        private List<String> awaitDurable;
        private List<String> list;
        private List<String> delete;
        private List<String> restore;
        private boolean zeroDowntime;
        private boolean scratchRestore;
        private Duration timeout = Duration.ofHours(1);
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration durableTimeout = DEFAULT_POLL_TIMEOUT;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final Map<String, String> secretEnvironment = new LinkedHashMap<>();

        public Builder check(List<String> command) {
            this.check = command;
            return this;
        }

        public Builder prepare(List<String> command) {
            this.prepare = command;
            return this;
        }

        public Builder capture(List<String> command) {
            this.capture = command;
            return this;
        }

        public Builder awaitDurable(List<String> command) {
            this.awaitDurable = command;
            return this;
        }

        public Builder list(List<String> command) {
            this.list = command;
            return this;
        }

        public Builder delete(List<String> command) {
            this.delete = command;
            return this;
        }

        public Builder restore(List<String> command) {
            this.restore = command;
            return this;
        }

        /** The capture command takes an atomic snapshot, so it may run without the maintenance lock. */
        public Builder zeroDowntime(boolean value) {
            this.zeroDowntime = value;
            return this;
        }

        /** The restore command honours {@code BBDC_RESTORE_SCRATCH=true} without touching live data. */
        public Builder scratchRestore(boolean value) {
            this.scratchRestore = value;
            return this;
        }

        /** Upper bound of each command. */
        public Builder timeout(Duration value) {
            this.timeout = Objects.requireNonNull(value);
            return this;
        }

        /** Pause between two await-durable calls that answered {@value #NOT_YET}, and the total bound. */
        public Builder polling(Duration interval, Duration total) {
            this.pollInterval = Objects.requireNonNull(interval);
            this.durableTimeout = Objects.requireNonNull(total);
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(requireEnvName(name), value);
            return this;
        }

        /** A variable whose value is secret: passed to every command, masked in every message. */
        public Builder secretEnv(String name, String value) {
            secretEnvironment.put(requireEnvName(name), value);
            return this;
        }

        private static String requireEnvName(String name) {
            if (name == null || !ENV_NAME.matcher(name).matches() || name.startsWith("BBDC_")) {
                throw new IllegalArgumentException("script: environment variable name '" + name + "' is invalid or "
                        + "reserved (BBDC_* are set by the provider)");
            }
            return name;
        }

        public ScriptProvider build() {
            for (var e : Map.of("capture", Objects.requireNonNullElse(capture, List.<String>of()),
                    "delete", Objects.requireNonNullElse(delete, List.<String>of())).entrySet()) {
                if (e.getValue().isEmpty()) {
                    throw new IllegalArgumentException("script: the " + e.getKey() + " command is required");
                }
            }
            for (List<String> cmd : new ArrayList<>(java.util.Arrays.asList(check, prepare, capture, awaitDurable,
                    list, delete, restore))) {
                if (cmd != null && (cmd.isEmpty() || cmd.stream().anyMatch(Objects::isNull) || cmd.get(0).isBlank())) {
                    throw new IllegalArgumentException("script: a command must be a non-empty argument list, got "
                            + cmd);
                }
            }
            if (scratchRestore && restore == null) {
                throw new IllegalArgumentException("script: scratchRestore needs a restore command");
            }
            return new ScriptProvider(this);
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        Set<ProviderCapability> caps = EnumSet.of(ProviderCapability.LOCKED);
        if (b.zeroDowntime) {
            caps.add(ProviderCapability.ZERO_DOWNTIME);
        }
        if (b.restore != null) {
            caps.add(ProviderCapability.RESTORE);
        }
        if (b.scratchRestore) {
            caps.add(ProviderCapability.RESTORE_TO_SCRATCH);
        }
        return caps;
    }

    @Override
    public List<String> plan(ProviderContext ctx) {
        List<String> plan = new ArrayList<>();
        if (b.prepare != null) {
            plan.add("prepare: " + String.join(" ", b.prepare));
        }
        plan.add("capture: " + String.join(" ", b.capture) + "   (BBDC_SNAPSHOT_NAME="
                + new CaptureRequest("<restore-point>", ctx.instanceId(), ctx.role(), ctx.mode()).snapshotName() + ")");
        if (b.awaitDurable != null) {
            plan.add("await durable: " + String.join(" ", b.awaitDurable));
        }
        return plan;
    }

    /** The variables every command gets. */
    private Map<String, String> baseEnv(String operation, ProviderContext ctx) {
        Map<String, String> env = new LinkedHashMap<>(b.environment);
        env.put("BBDC_OPERATION", operation);
        env.put("BBDC_INSTANCE", ctx.instanceId());
        env.put("BBDC_COMPONENT", ctx.role().value());
        env.put("BBDC_COMPONENT_SLUG", ctx.role().slug());
        if (ctx.mode() != null) {
            env.put("BBDC_MODE", ctx.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return env;
    }

    private static void putRef(Map<String, String> env, SnapshotRef ref) {
        env.put("BBDC_SNAPSHOT_ID", ref.id());
        env.put("BBDC_RESTORE_POINT_ID", ref.restorePointId());
        if (ref.capturedAt() != null) {
            env.put("BBDC_CAPTURED_AT", ref.capturedAt().toString());
        }
        ref.attributes().forEach((k, v) -> env.put("BBDC_ATTR_" + envSuffix(k), v));
    }

    static String envSuffix(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private CommandResult run(String operation, List<String> command, Map<String, String> env, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        CommandSpec.Builder spec = CommandSpec.of(command).timeout(b.timeout);
        env.forEach(spec::env);
        b.secretEnvironment.forEach(spec::secretEnv);
        return new Commands(KIND, ctx).run(spec.build());
    }

    private CommandResult require(String operation, List<String> command, Map<String, String> env,
                                  ProviderContext ctx) throws ProviderException, InterruptedException {
        CommandResult r = run(operation, command, env, ctx);
        if (!r.succeeded()) {
            CommandSpec.Builder spec = CommandSpec.of(command);
            b.secretEnvironment.values().forEach(spec::secret);
            throw new ProviderException(new Commands(KIND, ctx).failure("run the " + operation + " command",
                    spec.build(), r));
        }
        return r;
    }

    @Override
    public CheckReport check(ProviderContext ctx) throws InterruptedException {
        CheckReport.Builder report = new CheckReport.Builder();
        if (b.check == null) {
            return report.build();
        }
        try {
            CommandResult r = run("check", b.check, baseEnv("check", ctx), ctx);
            for (Map.Entry<String, String> e : KeyValues.parse(r.stdout()).entries()) {
                if (e.getKey().equals("warning")) {
                    report.warning("script: " + e.getValue());
                } else if (e.getKey().equals("error")) {
                    report.error("script: " + e.getValue());
                }
            }
            if (!r.succeeded()) {
                report.error("script: the check command exited with code " + r.exitCode()
                        + (r.stderr().isBlank() ? "" : ": " + r.stderr().strip()));
            }
        } catch (ProviderException e) {
            report.error(e.getMessage());
        }
        return report.build();
    }

    /** Values the prepare command printed, handed to capture as {@code BBDC_PREPARED_<KEY>}. */
    private record Prepared(Map<String, String> values) implements PreparedCapture {
        @Override
        public void close() {
        }
    }

    @Override
    public PreparedCapture prepare(ProviderContext ctx) throws ProviderException, InterruptedException {
        CheckReport report = check(ctx);
        if (report.hasErrors()) {
            throw new ProviderException(String.join("; ", report.errors()));
        }
        if (b.prepare == null) {
            return new Prepared(Map.of());
        }
        CommandResult r = require("prepare", b.prepare, baseEnv("prepare", ctx), ctx);
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : KeyValues.parse(r.stdout()).entries()) {
            values.put(checkedKey(e.getKey(), "prepare"), e.getValue());
        }
        return new Prepared(values);
    }

    private static String checkedKey(String key, String operation) throws ProviderException {
        if (!KEY.matcher(key).matches()) {
            throw new ProviderException("script: the " + operation + " command printed the key '" + key + "'; keys "
                    + "may only contain letters, digits, _ . -");
        }
        return key;
    }

    @Override
    public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        Map<String, String> env = baseEnv("capture", ctx);
        env.put("BBDC_RESTORE_POINT_ID", request.restorePointId());
        env.put("BBDC_SNAPSHOT_NAME", request.snapshotName());
        env.put("BBDC_MODE", request.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (prepared instanceof Prepared p) {
            p.values().forEach((k, v) -> env.put("BBDC_PREPARED_" + envSuffix(k), v));
        }
        Instant fired = ctx.clock().instant();
        CommandResult r = require("capture", b.capture, env, ctx);
        KeyValues out = KeyValues.parse(r.stdout());
        String id = out.single("id", "capture");
        if (id == null || id.isBlank()) {
            throw new ProviderException("script: the capture command succeeded but printed no 'id=<snapshot id>' "
                    + "line; print the id of what it created so it can be listed, restored and deleted (if it did "
                    + "create something, delete it by hand: it is not recorded)");
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : out.entries()) {
            if (e.getKey().startsWith("attr.")) {
                attrs.put(checkedKey(e.getKey().substring(5), "capture"), e.getValue());
            }
        }
        attrs.put("snapshotName", request.snapshotName());
        Instant capturedAt = out.single("capturedAt", "capture") != null
                ? instant(out.single("capturedAt", "capture"), "capturedAt") : fired;
        Long size = out.single("size", "capture") != null ? number(out.single("size", "capture"), "size") : null;
        boolean durable = b.awaitDurable == null || "true".equals(out.single("durable", "capture"));
        return new SnapshotRef(KIND, request.role().value(), id, request.restorePointId(), request.instanceId(),
                capturedAt, durable ? ctx.clock().instant() : null, size, attrs);
    }

    @Override
    public SnapshotRef awaitDurable(PreparedCapture prepared, SnapshotRef ref, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        if (ref.durableAt() != null) {
            return ref;
        }
        Map<String, String> env = baseEnv("await-durable", ctx);
        putRef(env, ref);
        Instant deadline = ctx.clock().instant().plus(b.durableTimeout);
        while (true) {
            CommandResult r = run("await-durable", b.awaitDurable, env, ctx);
            if (r.succeeded()) {
                KeyValues out = KeyValues.parse(r.stdout());
                String size = out.single("size", "await-durable");
                return ref.durable(ctx.clock().instant(), size != null ? number(size, "size") : null);
            }
            if (r.exitCode() != NOT_YET) {
                throw new ProviderException(new Commands(KIND, ctx).failure("wait for " + ref.id() + " to complete",
                        CommandSpec.of(b.awaitDurable).build(), r));
            }
            if (!ctx.clock().instant().isBefore(deadline)) {
                throw new ProviderException("script: " + ref.id() + " was still not complete after "
                        + b.durableTimeout + " (the await-durable command kept answering " + NOT_YET + ")");
            }
            ctx.sleeper().sleep(b.pollInterval);
        }
    }

    @Override
    public List<SnapshotRef> list(ProviderContext ctx) throws ProviderException, InterruptedException {
        if (b.list == null) {
            throw new ProviderException("script: no list command is configured, so existing snapshots cannot be "
                    + "discovered; configure one (it prints one JSON object per snapshot)");
        }
        CommandResult r = require("list", b.list, baseEnv("list", ctx), ctx);
        List<SnapshotRef> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : r.stdout().split("\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                throw new ProviderException("script: line " + lineNo + " of the list output is not a JSON object: '"
                        + abbreviate(line) + "'; print one object per line, e.g. {\"id\":\"snap-1\",\"restorePointId\":"
                        + "\"20261121t101500z-ab12\",\"capturedAt\":\"2026-11-21T10:15:00Z\"}");
            }
            if (!n.isObject() || !n.path("id").isTextual() || !n.path("restorePointId").isTextual()
                    || !n.path("capturedAt").isTextual()) {
                throw new ProviderException("script: line " + lineNo + " of the list output lacks \"id\", "
                        + "\"restorePointId\" or \"capturedAt\": '" + abbreviate(line) + "'");
            }
            // the script may list more than this instance and component: keep exactly ours
            if (n.has("instance") && !ctx.instanceId().equals(n.path("instance").asText())
                    || n.has("component") && !ctx.role().value().equals(n.path("component").asText())) {
                continue;
            }
            Map<String, String> attrs = new LinkedHashMap<>();
            n.path("attributes").fields().forEachRemaining(e -> attrs.put(e.getKey(), e.getValue().asText()));
            Instant at = instant(n.path("capturedAt").asText(), "capturedAt");
            Long size = n.path("sizeBytes").isNumber() ? n.path("sizeBytes").asLong() : null;
            out.add(new SnapshotRef(KIND, ctx.role().value(), n.path("id").asText(),
                    n.path("restorePointId").asText(), ctx.instanceId(), at, at, size, attrs));
        }
        out.sort(java.util.Comparator.comparing(SnapshotRef::capturedAt));
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    @Override
    public void delete(SnapshotRef ref, ProviderContext ctx) throws ProviderException, InterruptedException {
        requireOurs(ref);
        Map<String, String> env = baseEnv("delete", ctx);
        putRef(env, ref);
        require("delete", b.delete, env, ctx);
    }

    private static void requireOurs(SnapshotRef ref) throws ProviderException {
        if (!KIND.equals(ref.provider())) {
            throw new ProviderException("script: " + ref.id() + " was made by the " + ref.provider() + " provider");
        }
    }

    @Override
    public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        requireOurs(ref);
        if (b.restore == null) {
            throw new ProviderException("script: no restore command is configured");
        }
        if (request.scratch() && !b.scratchRestore) {
            throw new ProviderException("script: the restore command is not declared safe for scratch restores "
                    + "(scratchRestore); it might touch live data");
        }
        Map<String, String> env = baseEnv("restore", ctx);
        putRef(env, ref);
        env.put("BBDC_RESTORE_ALLOW_REPLACE", Boolean.toString(request.allowReplace()));
        env.put("BBDC_RESTORE_SCRATCH", Boolean.toString(request.scratch()));
        env.put("BBDC_RESTORE_DRY_RUN", Boolean.toString(request.dryRun()));
        if (request.pointInTime() != null) {
            env.put("BBDC_RESTORE_POINT_IN_TIME", request.pointInTime().toString());
        }
        request.target().forEach((k, v) -> env.put("BBDC_RESTORE_TARGET_" + envSuffix(k), v));
        CommandResult r = require("restore", b.restore, env, ctx);
        KeyValues out = KeyValues.parse(r.stdout());
        Map<String, String> location = new LinkedHashMap<>();
        List<String> steps = new ArrayList<>();
        for (Map.Entry<String, String> e : out.entries()) {
            if (e.getKey().startsWith("location.")) {
                location.put(e.getKey().substring("location.".length()), e.getValue());
            } else if (e.getKey().equals("step")) {
                steps.add(e.getValue());
            }
        }
        String summary = out.single("summary", "restore");
        return new RestoreOutcome(summary != null ? summary : (request.dryRun() ? "would restore " : "restored ")
                + ref.id() + " with " + String.join(" ", b.restore), location, steps,
                List.of(String.join(" ", b.restore) + " (BBDC_SNAPSHOT_ID=" + ref.id() + ")"));
    }

    private static Instant instant(String text, String what) throws ProviderException {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new ProviderException("script: " + what + " '" + text + "' is not an ISO-8601 instant such as "
                    + "2026-11-21T10:15:00Z");
        }
    }

    private static Long number(String text, String what) throws ProviderException {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new ProviderException("script: " + what + " '" + text + "' is not a number of bytes");
        }
    }

    /** {@code key=value} lines in order; other lines (progress, logs) are ignored. */
    private record KeyValues(List<Map.Entry<String, String>> entries) {
        static KeyValues parse(String stdout) {
            List<Map.Entry<String, String>> out = new ArrayList<>();
            for (String line : stdout.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.substring(0, eq).contains(" ")) {
                    out.add(Map.entry(line.substring(0, eq), line.substring(eq + 1)));
                }
            }
            return new KeyValues(out);
        }

        String single(String key, String operation) throws ProviderException {
            List<String> values = entries.stream().filter(e -> e.getKey().equals(key)).map(Map.Entry::getValue)
                    .toList();
            if (values.size() > 1) {
                throw new ProviderException("script: the " + operation + " command printed '" + key + "=' "
                        + values.size() + " times; print it once");
            }
            return values.isEmpty() ? null : values.get(0);
        }
    }
}
