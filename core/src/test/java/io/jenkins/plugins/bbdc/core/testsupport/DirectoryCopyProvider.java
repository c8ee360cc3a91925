package io.jenkins.plugins.bbdc.core.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.jenkins.plugins.bbdc.core.restorepoint.ManifestJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A small but real snapshot provider for engine tests: capture copies a source directory into
 * {@code <store>/<snapshotName>/data} and writes the reference next to it; list() scans the store; delete() removes
 * the copy. Failures are injected per operation, so the engine's cleanup is exercised against real files.
 */
public final class DirectoryCopyProvider implements SnapshotProvider {
    private static final ObjectMapper JSON = ManifestJson.mapper();

    private final String kind;
    private final Path source;
    private final Path store;
    private final Set<ProviderCapability> capabilities;

    public volatile String failPrepare;
    public volatile String failCapture;
    public volatile String failDurable;
    /** Delete fails with this message (the snapshot stays). */
    public volatile String failDelete;
    /** list() fails with this message. */
    public volatile String failList;
    /** When set, capture blocks until released (interruptibly): lets tests stop a run mid-capture. */
    public volatile CountDownLatch captureGate;
    /** Counted down when capture starts (with captureGate: "the capture is in progress"). */
    public volatile CountDownLatch captureStarted;
    /** When set, awaitDurable blocks until released. */
    public volatile CountDownLatch durableGate;

    public final AtomicInteger prepares = new AtomicInteger();
    public final AtomicInteger closes = new AtomicInteger();
    public final AtomicInteger captures = new AtomicInteger();
    public final AtomicInteger listCalls = new AtomicInteger();
    public final AtomicInteger deletes = new AtomicInteger();
    public final List<String> checkErrors = new ArrayList<>();
    /** Every prepare/capture/durable/delete/close, with System.nanoTime and the thread, in order. */
    public final List<Step> steps = java.util.Collections.synchronizedList(new ArrayList<>());

    /** One recorded provider step. */
    public record Step(long atNanos, String what, String role, String thread) {
    }

    private void step(String what, ProviderContext ctx) {
        steps.add(new Step(System.nanoTime(), what, ctx.role().value(), Thread.currentThread().getName()));
    }

    public DirectoryCopyProvider(String kind, Path source, Path store, Set<ProviderCapability> capabilities) {
        this.kind = kind;
        this.source = source;
        this.store = store;
        this.capabilities = capabilities;
    }

    /** A provider that snapshots at an instant (like btrfs or EBS). */
    public static DirectoryCopyProvider snapshotting(String kind, Path source, Path store) {
        return new DirectoryCopyProvider(kind, source, store, EnumSet.of(ProviderCapability.ZERO_DOWNTIME,
                ProviderCapability.LOCKED, ProviderCapability.RESTORE));
    }

    /** A provider that only copies under the lock (like rsync). */
    public static DirectoryCopyProvider lockedOnly(String kind, Path source, Path store) {
        return new DirectoryCopyProvider(kind, source, store, EnumSet.of(ProviderCapability.LOCKED,
                ProviderCapability.RESTORE));
    }

    public Path store() {
        return store;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public Set<ProviderCapability> capabilities() {
        return capabilities;
    }

    @Override
    public List<String> plan(ProviderContext ctx) {
        return List.of("copy " + source + " to " + store + "/bbdc-" + ctx.instanceId() + "-<restore point>-"
                + ctx.role().slug());
    }

    @Override
    public CheckReport check(ProviderContext ctx) {
        CheckReport.Builder b = new CheckReport.Builder();
        if (!Files.isDirectory(source)) {
            b.error("source directory " + source + " does not exist");
        }
        checkErrors.forEach(b::error);
        return b.build();
    }

    @Override
    public PreparedCapture prepare(ProviderContext ctx) throws ProviderException {
        prepares.incrementAndGet();
        step("prepare", ctx);
        if (failPrepare != null) {
            throw new ProviderException(failPrepare);
        }
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                closes.incrementAndGet();
                step("close", ctx);
            }
        };
    }

    @Override
    public SnapshotRef capture(PreparedCapture prepared, CaptureRequest request, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        Instant at = ctx.clock().instant();
        step("capture", ctx);
        CountDownLatch started = captureStarted;
        if (started != null) {
            started.countDown();
        }
        CountDownLatch gate = captureGate;
        if (gate != null) {
            gate.await();
        }
        captures.incrementAndGet();
        if (failCapture != null) {
            throw new ProviderException(failCapture);
        }
        Path dir = store.resolve(request.snapshotName());
        try {
            copyTree(source, dir.resolve("data"));
            SnapshotRef ref = new SnapshotRef(kind, request.role().value(), dir.toString(), request.restorePointId(),
                    request.instanceId(), at, null, null, Map.of("mode", request.mode().name()));
            Files.write(dir.resolve("ref.json"), JSON.writeValueAsBytes(ref));
            return ref;
        } catch (IOException e) {
            throw new ProviderException("copy of " + source + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public SnapshotRef awaitDurable(PreparedCapture prepared, SnapshotRef ref, ProviderContext ctx)
            throws ProviderException, InterruptedException {
        step("durable", ctx);
        CountDownLatch gate = durableGate;
        if (gate != null) {
            gate.await();
        }
        if (failDurable != null) {
            throw new ProviderException(failDurable);
        }
        Path dir = Path.of(ref.id());
        try {
            long size;
            try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
                size = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            SnapshotRef durable = ref.durable(ctx.clock().instant(), size);
            Files.write(dir.resolve("ref.json"), JSON.writeValueAsBytes(durable));
            return durable;
        } catch (IOException e) {
            throw new ProviderException("snapshot " + dir + " is not readable: " + e.getMessage(), e);
        }
    }

    @Override
    public List<SnapshotRef> list(ProviderContext ctx) throws ProviderException {
        listCalls.incrementAndGet();
        if (failList != null) {
            throw new ProviderException(failList);
        }
        List<SnapshotRef> out = new ArrayList<>();
        if (!Files.isDirectory(store)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(store, "bbdc-*")) {
            for (Path d : dirs) {
                Path refFile = d.resolve("ref.json");
                if (Files.isRegularFile(refFile)) {
                    SnapshotRef ref = JSON.readValue(refFile.toFile(), SnapshotRef.class);
                    if (ref.instanceId().equals(ctx.instanceId()) && ref.role().equals(ctx.role().value())) {
                        out.add(ref);
                    }
                }
            }
        } catch (IOException e) {
            throw new ProviderException("cannot list " + store + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void delete(SnapshotRef ref, ProviderContext ctx) throws ProviderException {
        deletes.incrementAndGet();
        step("delete", ctx);
        if (failDelete != null) {
            throw new ProviderException(failDelete);
        }
        try {
            deleteTree(Path.of(ref.id()));
        } catch (IOException e) {
            throw new ProviderException("cannot delete " + ref.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public RestoreOutcome restore(SnapshotRef ref, RestoreRequest request, ProviderContext ctx)
            throws ProviderException {
        Path target = Path.of(request.target().getOrDefault("path", source.toString()));
        if (!request.dryRun()) {
            try {
                copyTree(Path.of(ref.id()).resolve("data"), target);
            } catch (IOException e) {
                throw new ProviderException("restore failed: " + e.getMessage(), e);
            }
        }
        return new RestoreOutcome("copied " + ref.id() + " to " + target, Map.of("path", target.toString()),
                List.of(), List.of("copy " + ref.id() + " " + target));
    }

    /** The snapshot directories currently in the store (what a user would see with ls). */
    public List<String> storedSnapshots() {
        if (!Files.isDirectory(store)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(store)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
