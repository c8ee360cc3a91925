package io.jenkins.plugins.bbdc.core.catalog;

import io.jenkins.plugins.bbdc.core.restorepoint.ManifestJson;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePoint;
import io.jenkins.plugins.bbdc.core.restorepoint.RestorePointId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The restore point catalog: one JSON manifest per restore point, {@code <root>/<instance>/<id>.json}.
 *
 * <p>Writes are atomic: the manifest goes to a temporary file in the same directory, is fsynced, moved over the
 * final name with an atomic rename, and the directory is fsynced — a crash leaves either the old or the new
 * manifest, never a torn one. Leftover temporary files are ignored by readers.
 *
 * <p>The catalog is a cache of what the providers hold: when it is lost, {@link CatalogRebuilder} recreates it from
 * the snapshots' names and tags.
 */
public final class FileCatalog {
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String SUFFIX = ".json";

    private final Path root;

    public FileCatalog(Path root) {
        this.root = Objects.requireNonNull(root, "catalog directory").toAbsolutePath();
    }

    public Path root() {
        return root;
    }

    /** The directory holding one instance's manifests (also where its run lock lives). */
    public Path instanceDirectory(String instance) {
        return root.resolve(requireInstance(instance));
    }

    public static String requireInstance(String instance) {
        if (instance == null || !INSTANCE.matcher(instance).matches()) {
            throw new IllegalArgumentException("'" + instance + "' is not a valid instance id: use 1-64 letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit (for example bitbucket-prod)");
        }
        return instance;
    }

    /** Writes (or replaces) the manifest of {@code point}, atomically. */
    public void save(RestorePoint point) throws IOException {
        Path dir = instanceDirectory(point.instance());
        Files.createDirectories(dir);
        Path target = dir.resolve(point.id() + SUFFIX);
        Path tmp = dir.resolve("." + point.id() + ".tmp-" + UUID.randomUUID());
        byte[] bytes = ManifestJson.write(point);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the catalog directory " + dir + " does not support atomic renames;"
                        + " put the catalog on a local POSIX file system", e);
            }
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Every restore point of {@code instance}, oldest first (by fence, else start). */
    public List<RestorePoint> list(String instance) throws IOException {
        Path dir = instanceDirectory(instance);
        List<RestorePoint> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = name.substring(0, name.length() - SUFFIX.length());
                if (RestorePointId.isValid(id)) {
                    out.add(read(f));
                }
            }
        }
        // ids of the same second carry a random suffix, so order by the recorded instants first
        out.sort(Comparator.comparing(RestorePoint::effectiveFence).thenComparing(RestorePoint::id));
        return out;
    }

    /** The instances that have a catalog directory here. */
    public List<String> instances() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (INSTANCE.matcher(name).matches()) {
                    out.add(name);
                }
            }
        }
        out.sort(null);
        return out;
    }

    public Optional<RestorePoint> find(String instance, String id) throws IOException {
        RestorePointId.requireValid(id);
        Path f = instanceDirectory(instance).resolve(id + SUFFIX);
        try {
            return Optional.of(read(f));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The newest COMPLETE restore point (by fence), if any. */
    public Optional<RestorePoint> latestComplete(String instance) throws IOException {
        return list(instance).stream().filter(RestorePoint::isComplete)
                .max(Comparator.comparing(RestorePoint::effectiveFence).thenComparing(RestorePoint::id));
    }

    /** The newest COMPLETE restore point whose fence is at or before {@code t} (point-in-time selection). */
    public Optional<RestorePoint> newestCompleteAtOrBefore(String instance, Instant t) throws IOException {
        Objects.requireNonNull(t, "point in time");
        return list(instance).stream().filter(RestorePoint::isComplete)
                .filter(p -> !p.effectiveFence().isAfter(t))
                .max(Comparator.comparing(RestorePoint::effectiveFence).thenComparing(RestorePoint::id));
    }

    /** Removes a manifest; true when it existed. Only the manifest: snapshots are deleted by retention first. */
    public boolean delete(String instance, String id) throws IOException {
        RestorePointId.requireValid(id);
        Path dir = instanceDirectory(instance);
        boolean existed = Files.deleteIfExists(dir.resolve(id + SUFFIX));
        if (existed) {
            fsyncDirectory(dir);
        }
        return existed;
    }

    private static RestorePoint read(Path f) throws IOException {
        return ManifestJson.read(Files.readAllBytes(f), f.toString());
    }

    private static void fsyncDirectory(Path dir) {
        // Makes the rename itself durable. Some platforms cannot open a directory for fsync; the rename is still atomic.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort by design
        }
    }
}
