package io.jenkins.plugins.bbdc.core.provider.fs;

import io.jenkins.plugins.bbdc.core.event.OperationEvent;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.provider.CaptureRequest;
import io.jenkins.plugins.bbdc.core.provider.ProviderContext;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import io.jenkins.plugins.bbdc.core.provider.SnapshotRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A directory holding one entry per snapshot ({@code <dir>/<name>}) and its metadata file
 * ({@code <dir>/<name>.bbdc}). Used by the btrfs (read-only subvolumes) and rsync (copies) providers. Every access
 * is a command, so it works the same on a Jenkins agent.
 */
final class SnapshotDirectory {
    private final String dir;

    /** One of our snapshots found in the directory. */
    record Found(String name, String path, SnapshotMetadata metadata) { }

    SnapshotDirectory(String dir) {
        this.dir = stripTrailingSlash(dir);
    }

    String dir() {
        return dir;
    }

    String pathOf(String name) {
        return dir + "/" + name;
    }

    String metadataPathOf(String name) {
        return pathOf(name) + SnapshotMetadata.SUFFIX;
    }

    void writeMetadata(Commands c, String name, SnapshotMetadata m) throws ProviderException, InterruptedException {
        c.require("record which restore point " + name + " belongs to",
                CommandSpec.of("tee", metadataPathOf(name)).stdin(m.toBytes()).build());
    }

    void removeMetadata(Commands c, String name) throws ProviderException, InterruptedException {
        c.require("remove " + metadataPathOf(name), "rm", "-f", metadataPathOf(name));
    }

    /**
     * The snapshots of {@code ctx}'s instance and role, oldest first. A name is ours only when its metadata names
     * this instance, role and a restore point that yields exactly this name; directories that merely look like ours
     * (no or foreign metadata) are reported as a warning event and left alone.
     */
    List<Found> ours(Commands c, ProviderContext ctx, String kind) throws ProviderException, InterruptedException {
        Map<String, Character> entries = new LinkedHashMap<>();
        String listing = c.require("list " + dir, "find", dir, "-mindepth", "1", "-maxdepth", "1",
                "-printf", "%y\\t%f\\n").stdout();
        for (String line : listing.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab == 1) {
                entries.put(line.substring(2), line.charAt(0));
            }
        }
        Map<String, SnapshotMetadata> metadata = readMetadata(c);
        String prefix = SnapshotMetadata.namePrefix(ctx.instanceId());
        String suffix = "-" + ctx.role().slug();
        List<Found> out = new ArrayList<>();
        for (Map.Entry<String, Character> e : entries.entrySet()) {
            String name = e.getKey();
            if (name.endsWith(SnapshotMetadata.SUFFIX) || e.getValue() != 'd') {
                continue;
            }
            SnapshotMetadata m = metadata.get(name);
            if (m != null && m.describes(name, ctx.instanceId(), ctx.role())) {
                out.add(new Found(name, pathOf(name), m));
            } else if (m == null && name.startsWith(prefix) && name.endsWith(suffix)) {
                ctx.events().emit(OperationEvent.info(ctx.clock().instant(), "list", "list",
                        kind + ": " + pathOf(name) + " looks like a snapshot of this instance but has no "
                                + metadataPathOf(name) + " (an interrupted capture, or another instance whose id "
                                + "starts the same way); it is not listed. Delete it by hand if it is yours.")
                        .withComponent(ctx.role().value()).withLevel(OperationEvent.Level.WARNING));
            }
        }
        out.sort(java.util.Comparator.comparing((Found f) -> f.metadata().capturedAt()).thenComparing(Found::name));
        return out;
    }

    private Map<String, SnapshotMetadata> readMetadata(Commands c) throws ProviderException, InterruptedException {
        // grep -H prints "<path>:<line>" for every line of every metadata file in one command
        String out = c.require("read the snapshot metadata in " + dir, "find", dir, "-mindepth", "1", "-maxdepth",
                "1", "-type", "f", "-name", "*" + SnapshotMetadata.SUFFIX, "-exec", "grep", "-H", "", "{}", "+")
                .stdout();
        Map<String, StringBuilder> texts = new LinkedHashMap<>();
        String start = dir + "/";
        for (String line : out.split("\n")) {
            int end = line.indexOf(SnapshotMetadata.SUFFIX + ":");
            if (!line.startsWith(start) || end < 0) {
                continue;
            }
            String name = line.substring(start.length(), end);
            texts.computeIfAbsent(name, k -> new StringBuilder())
                    .append(line.substring(end + SnapshotMetadata.SUFFIX.length() + 1)).append('\n');
        }
        Map<String, SnapshotMetadata> result = new LinkedHashMap<>();
        texts.forEach((name, text) -> SnapshotMetadata.parse(text.toString()).ifPresent(m -> result.put(name, m)));
        return result;
    }

    /**
     * Refuses a ref that is not exactly where {@code kind} puts the snapshot of its restore point in this
     * directory (a forged or foreign ref must never make us delete or restore something else); returns its name.
     */
    String requireOurs(String kind, SnapshotRef ref) throws ProviderException {
        if (!kind.equals(ref.provider())) {
            throw new ProviderException(kind + ": " + ref.id() + " was made by the " + ref.provider()
                    + " provider, not by " + kind);
        }
        String name = new CaptureRequest(ref.restorePointId(), ref.instanceId(), ref.componentRole(), null)
                .snapshotName();
        if (!ref.id().equals(pathOf(name))) {
            throw new ProviderException(kind + ": " + ref.id() + " is not the snapshot of restore point "
                    + ref.restorePointId() + " in " + dir + " (expected " + pathOf(name) + "); refusing to touch it");
        }
        return name;
    }

    static String stripTrailingSlash(String p) {
        String s = p;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
