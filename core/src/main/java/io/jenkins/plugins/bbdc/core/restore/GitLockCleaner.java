package io.jenkins.plugins.bbdc.core.restore;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes the stale git lock files a snapshot taken while Bitbucket ran can contain (bitbucket-data-layout.md §3),
 * in every repository under a repositories directory. Safe only while Bitbucket, its Mesh sidecar and every Mesh node
 * are stopped — the restore engine runs it after its preflight proved that.
 *
 * <p>Removed: {@code {HEAD,config,index,gc,packed-refs,stash-packed-refs}.{lock,pid}}, any {@code *.lock} under
 * {@code refs/}, {@code stash-refs/}, {@code logs/}, and git's other lock files ({@code shallow.lock}, commit-graph and
 * multi-pack-index locks). Reported but kept: temporary packs and push quarantines (harmless) and {@code *.keep}
 * (deliberate).
 */
public final class GitLockCleaner {
    private static final Set<String> TOP_LEVEL = Set.of(
            "HEAD.lock", "HEAD.pid", "config.lock", "config.pid", "index.lock", "index.pid", "gc.lock", "gc.pid",
            "packed-refs.lock", "packed-refs.pid", "stash-packed-refs.lock", "stash-packed-refs.pid", "shallow.lock");
    private static final List<String> NESTED_LOCKS = List.of(
            "objects/info/commit-graph.lock", "objects/info/commit-graphs/commit-graph-chain.lock",
            "objects/pack/multi-pack-index.lock");
    private static final List<String> LOCK_TREES = List.of("refs", "stash-refs", "logs");

    /** What a clean-up removed and what it only noticed. Paths are relative to the repositories directory. */
    public record Report(int repositories, List<String> removed, List<String> noticed) {
        public Report {
            removed = List.copyOf(removed);
            noticed = List.copyOf(noticed);
        }
    }

    /**
     * Cleans every repository directly below {@code repositoriesDir} (e.g. {@code <home>/shared/data/repositories}).
     * A missing directory is reported as zero repositories.
     */
    public Report clean(Path repositoriesDir) throws IOException {
        return run(repositoriesDir, false);
    }

    /** Like {@link #clean} but deletes nothing: {@code removed} lists what a clean-up would remove. */
    public Report scan(Path repositoriesDir) throws IOException {
        return run(repositoriesDir, true);
    }

    private Report run(Path repositoriesDir, boolean dryRun) throws IOException {
        List<String> removed = new ArrayList<>();
        List<String> noticed = new ArrayList<>();
        int repos = 0;
        if (!Files.isDirectory(repositoriesDir)) {
            return new Report(0, removed, noticed);
        }
        try (Stream<Path> children = Files.list(repositoriesDir)) {
            for (Path repo : children.sorted().toList()) {
                if (!Files.isDirectory(repo) || !looksLikeBareRepository(repo)) {
                    continue;
                }
                repos++;
                cleanRepository(repositoriesDir, repo, removed, noticed, dryRun);
            }
        }
        return new Report(repos, removed, noticed);
    }

    static boolean looksLikeBareRepository(Path dir) {
        return Files.isDirectory(dir.resolve("objects")) && Files.isDirectory(dir.resolve("refs"));
    }

    private void cleanRepository(Path base, Path repo, List<String> removed, List<String> noticed, boolean dryRun)
            throws IOException {
        for (String name : TOP_LEVEL) {
            delete(base, repo.resolve(name), removed, dryRun);
        }
        for (String nested : NESTED_LOCKS) {
            delete(base, repo.resolve(nested), removed, dryRun);
        }
        for (String tree : LOCK_TREES) {
            Path root = repo.resolve(tree);
            if (Files.isDirectory(root)) {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        if (file.getFileName().toString().endsWith(".lock")) {
                            delete(base, file, removed, dryRun);
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            }
        }
        Path pack = repo.resolve("objects/pack");
        if (Files.isDirectory(pack)) {
            try (Stream<Path> files = Files.list(pack)) {
                files.filter(f -> {
                    String n = f.getFileName().toString();
                    return n.startsWith("tmp_pack_") || n.startsWith("tmp_idx_") || n.endsWith(".keep");
                }).sorted().forEach(f -> noticed.add(base.relativize(f).toString()));
            }
        }
        Path objects = repo.resolve("objects");
        try (Stream<Path> dirs = Files.list(objects)) {
            dirs.filter(d -> d.getFileName().toString().startsWith("incoming-")).sorted()
                    .forEach(d -> noticed.add(base.relativize(d).toString()));
        }
        if (Files.exists(repo.resolve("gc.log"))) {
            noticed.add(base.relativize(repo.resolve("gc.log")).toString());
        }
    }

    private static void delete(Path base, Path file, List<String> removed, boolean dryRun) throws IOException {
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (dryRun || Files.deleteIfExists(file)) {
            removed.add(base.relativize(file).toString());
        }
    }
}
