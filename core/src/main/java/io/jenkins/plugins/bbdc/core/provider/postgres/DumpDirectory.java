package io.jenkins.plugins.bbdc.core.provider.postgres;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.provider.ComponentRole;
import io.jenkins.plugins.bbdc.core.provider.ProviderException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The dump root: one sub-directory {@code <restore point id>-<role slug>} per dump, each with a {@link DumpMarker}.
 * All file work goes through commands, so it happens on the host where the tools run (a Jenkins agent).
 */
final class DumpDirectory {
    /** What a dump directory name looks like: a restore point id (no slash, no dot start) and a role slug. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final String root;

    DumpDirectory(String root) {
        this.root = root;
    }

    String root() {
        return root;
    }

    static String nameOf(String restorePointId, ComponentRole role) {
        String name = restorePointId + "-" + role.slug();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("postgres: restore point id '" + restorePointId + "' cannot name a"
                    + " dump directory (letters, digits, . _ - only)");
        }
        return name;
    }

    String pathOf(String restorePointId, ComponentRole role) {
        return root + "/" + nameOf(restorePointId, role);
    }

    static String markerOf(String dumpPath) {
        return dumpPath + "/" + DumpMarker.FILE_NAME;
    }

    boolean exists(HostCommands c, String path) throws ProviderException, InterruptedException {
        return c.run("test", "-e", path).succeeded();
    }

    void writeMarker(HostCommands c, String dumpPath, DumpMarker marker) throws ProviderException, InterruptedException {
        c.require("write the dump marker " + markerOf(dumpPath), c.spec("tee", markerOf(dumpPath))
                .stdin(marker.toBytes()).build());
    }

    Optional<DumpMarker> readMarker(HostCommands c, String dumpPath) throws ProviderException, InterruptedException {
        CommandResult r = c.run("cat", markerOf(dumpPath));
        return r.succeeded() ? DumpMarker.parse(r.stdout()) : Optional.empty();
    }

    long sizeOf(HostCommands c, String dumpPath) throws ProviderException, InterruptedException {
        String out = c.require("measure " + dumpPath, "du", "-s", "-B1", dumpPath).stdout().strip();
        try {
            return Long.parseLong(out.split("\\s+")[0]);
        } catch (NumberFormatException e) {
            throw new ProviderException("postgres: could not read the size of " + dumpPath + " from du: '" + out + "'");
        }
    }

    /** Complete dumps (with a marker) and the names of directories without one (interrupted or foreign). */
    record Listing(Map<String, DumpMarker> complete, List<String> withoutMarker) { }

    Listing list(HostCommands c) throws ProviderException, InterruptedException {
        if (!c.run("test", "-d", root).succeeded()) {
            return new Listing(Map.of(), List.of());
        }
        CommandResult dirs = c.require("list " + root, "find", root, "-mindepth", "1", "-maxdepth", "1", "-type", "d",
                "-printf", "%f\\n");
        // grep -H prefixes every line with its file name: <root>/<dir>/bbdc-dump.properties:<line>
        CommandResult markers = c.run(c.spec("find", root, "-mindepth", "2", "-maxdepth", "2", "-name",
                DumpMarker.FILE_NAME, "-type", "f", "-exec", "grep", "-H", "", "{}", "+").build());
        Map<String, StringBuilder> texts = new LinkedHashMap<>();
        String suffix = "/" + DumpMarker.FILE_NAME + ":";
        for (String line : markers.stdout().split("\n")) {
            int at = line.indexOf(suffix);
            if (line.startsWith(root + "/") && at > root.length()) {
                String dir = line.substring(root.length() + 1, at);
                texts.computeIfAbsent(dir, k -> new StringBuilder()).append(line.substring(at + suffix.length()))
                        .append('\n');
            }
        }
        Map<String, DumpMarker> complete = new LinkedHashMap<>();
        texts.forEach((dir, text) -> DumpMarker.parse(text.toString()).ifPresent(m -> complete.put(dir, m)));
        List<String> without = new ArrayList<>();
        for (String d : dirs.stdout().split("\n")) {
            String dir = d.strip();
            if (!dir.isEmpty() && !complete.containsKey(dir)) {
                without.add(dir);
            }
        }
        return new Listing(complete, without);
    }

    void delete(HostCommands c, String dumpPath) throws ProviderException, InterruptedException {
        c.require("delete the dump " + dumpPath, "rm", "-rf", "--", dumpPath);
    }
}
