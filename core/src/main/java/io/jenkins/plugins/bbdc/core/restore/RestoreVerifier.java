package io.jenkins.plugins.bbdc.core.restore;

import io.jenkins.plugins.bbdc.core.exec.CommandResult;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.restore.VerificationReport.Check;
import io.jenkins.plugins.bbdc.core.restore.VerificationReport.Outcome;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Checks that a restored shared home and database belong together and are usable (docs/restore.md, restore test):
 * every repository row has its bare repository on disk and the reverse (directories marked {@code DELETED} excepted),
 * {@code repository-config} agrees with the row, fork alternates resolve inside the restored home, a sample passes
 * {@code git fsck}, no stale lock remains, the Liquibase lock is free and the recorded identity matches.
 *
 * <p>Run it only with Bitbucket stopped: it reads repositories git may be writing to otherwise.
 */
public final class RestoreVerifier {

    /**
     * @param fsckSample         how many repositories to check with {@code git fsck} (forks are always included first,
     *                           up to half the sample)
     * @param seed               sampling seed, so a report can be reproduced
     * @param originalSharedHome where the shared home lives in production (alternates name it); when the restored home
     *                           is elsewhere (a scratch verification), alternates under it are mapped to the restored
     *                           copy and, with {@code rewriteAlternates}, rewritten in that copy
     * @param rewriteAlternates  rewrite alternates of a scratch copy so that {@code git fsck} reads the restored objects
     * @param expected           values recorded at backup time; null entries are not checked
     */
    public record Options(int fsckSample, long seed, Path originalSharedHome, boolean rewriteAlternates,
                          Expected expected, BitbucketSchema schema, Duration fsckTimeout) {
        public static Options defaults() {
            return new Options(10, 42L, null, false, Expected.NONE, BitbucketSchema.defaults(), Duration.ofMinutes(10));
        }

        public Options withSample(int n) {
            return new Options(n, seed, originalSharedHome, rewriteAlternates, expected, schema, fsckTimeout);
        }

        public Options withOriginalHome(Path original, boolean rewrite) {
            return new Options(fsckSample, seed, original, rewrite, expected, schema, fsckTimeout);
        }

        public Options withExpected(Expected e) {
            return new Options(fsckSample, seed, originalSharedHome, rewriteAlternates, e, schema, fsckTimeout);
        }
    }

    /** Identity recorded at backup time. */
    public record Expected(String serverId, Integer changelogCount, Integer changelogMaxOrder) {
        public static final Expected NONE = new Expected(null, null, null);
    }

    /** One repository row of the restored database: all the filesystem checks need from it. */
    public record Row(int id, String slug, String projectKey) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * What the filesystem checks found in a restored shared home.
     *
     * @param checks               database → disk, disk → database, repository-config, fork alternates, git fsck,
     *                             stale git locks, in that order
     * @param repositoryDirectories numbered directories under {@code data/repositories}
     * @param fsckSampled          repositories checked with {@code git fsck}
     */
    public record HomeFindings(List<Check> checks, int repositoryDirectories, int fsckSampled)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        public HomeFindings {
            checks = List.copyOf(checks);
        }
    }

    /**
     * Runs the filesystem checks of a restored shared home against the repository rows read from the database.
     * The default is {@link #verifyHome} in this JVM; a caller whose restored home lives on another machine (a
     * Jenkins agent) runs the same method there and hands back the findings.
     */
    @FunctionalInterface
    public interface HomeCheck {
        HomeFindings verify(Path sharedHome, Map<Integer, Row> rows, Options options)
                throws IOException, InterruptedException;
    }

    private final CommandRunner runner;

    public RestoreVerifier(CommandRunner runner) {
        this.runner = runner;
    }

    /**
     * @param sharedHome the restored shared home (the directory holding {@code data/repositories})
     * @param db         a connection to the restored database
     */
    public VerificationReport verify(Path sharedHome, Connection db, Options options)
            throws IOException, InterruptedException {
        return verify(sharedHome, db, options, this::verifyHome);
    }

    /**
     * As {@link #verify(Path, Connection, Options)}, with the filesystem checks run by {@code home}: the database
     * part stays with the caller's connection, only repository rows and plain options reach the home check.
     */
    public VerificationReport verify(Path sharedHome, Connection db, Options options, HomeCheck home)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<Check> checks = new ArrayList<>();
        BitbucketSchema s = options.schema();

        Map<Integer, Row> rows;
        try {
            rows = inventory(db, s);
            checks.add(new Check("inventory", Outcome.PASS, rows.size() + " repository rows"));
        } catch (SQLException e) {
            checks.add(new Check("inventory", Outcome.FAIL, "cannot read the repository table: " + e.getMessage()));
            return new VerificationReport(checks, 0, 0, 0, millisSince(start));
        }

        HomeFindings found = home.verify(sharedHome, rows, options);
        checks.addAll(found.checks());
        checks.add(liquibaseLock(db, s));
        checks.addAll(identity(db, s, options.expected()));

        return new VerificationReport(checks, rows.size(), found.repositoryDirectories(), found.fsckSampled(),
                millisSince(start));
    }

    /** The filesystem checks of a restored shared home, in this JVM (git fsck through this verifier's runner). */
    public HomeFindings verifyHome(Path sharedHome, Map<Integer, Row> rows, Options options)
            throws IOException, InterruptedException {
        List<Check> checks = new ArrayList<>();
        Path reposDir = sharedHome.resolve("data").resolve("repositories");
        Map<Integer, Path> dirs = repositoryDirectories(reposDir);
        Set<Integer> deletedMarked = new TreeSet<>();
        for (Map.Entry<Integer, Path> e : dirs.entrySet()) {
            if (Files.exists(e.getValue().resolve("DELETED"))) {
                deletedMarked.add(e.getKey());
            }
        }

        checks.add(dbToDisk(rows, dirs));
        checks.add(diskToDb(rows, dirs, deletedMarked));
        checks.add(metadata(rows, dirs));
        List<Integer> forks = new ArrayList<>();
        checks.add(alternates(sharedHome, dirs, options, forks));
        int sampled = fsckSample(rows, dirs, deletedMarked, forks, options, checks);
        checks.add(locks(reposDir));
        return new HomeFindings(checks, dirs.size(), sampled);
    }

    private static Map<Integer, Row> inventory(Connection db, BitbucketSchema s) throws SQLException {
        String sql = "SELECT r." + s.repositoryId() + ", r." + s.repositorySlug() + ", p." + s.projectKey()
                + " FROM " + s.repositoryTable() + " r JOIN " + s.projectTable() + " p ON p." + s.projectId()
                + " = r." + s.repositoryProjectId();
        Map<Integer, Row> rows = new TreeMap<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.put(rs.getInt(1), new Row(rs.getInt(1), rs.getString(2), rs.getString(3)));
            }
        }
        return rows;
    }

    private static Map<Integer, Path> repositoryDirectories(Path reposDir) throws IOException {
        Map<Integer, Path> dirs = new TreeMap<>();
        if (!Files.isDirectory(reposDir)) {
            return dirs;
        }
        try (Stream<Path> children = Files.list(reposDir)) {
            for (Path p : children.toList()) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
                    dirs.put(Integer.parseInt(name), p);
                }
            }
        }
        return dirs;
    }

    private static Check dbToDisk(Map<Integer, Row> rows, Map<Integer, Path> dirs) {
        List<String> missing = new ArrayList<>();
        List<String> notBare = new ArrayList<>();
        for (Row r : rows.values()) {
            Path dir = dirs.get(r.id());
            if (dir == null) {
                missing.add(r.projectKey() + "/" + r.slug() + " [" + r.id() + "]");
            } else if (!GitLockCleaner.looksLikeBareRepository(dir) || !Files.exists(dir.resolve("HEAD"))) {
                notBare.add(r.projectKey() + "/" + r.slug() + " [" + r.id() + "]");
            }
        }
        if (missing.isEmpty() && notBare.isEmpty()) {
            return new Check("database → disk", Outcome.PASS, "every repository row has its bare repository");
        }
        return new Check("database → disk", Outcome.FAIL,
                (missing.isEmpty() ? "" : "no directory for " + abbreviate(missing) + ". ")
                        + (notBare.isEmpty() ? "" : "not a bare git repository: " + abbreviate(notBare) + ". ")
                        + "The home and database do not belong to the same restore point, or the home is damaged.");
    }

    private static Check diskToDb(Map<Integer, Row> rows, Map<Integer, Path> dirs, Set<Integer> deletedMarked) {
        List<String> orphans = new ArrayList<>();
        for (Integer id : dirs.keySet()) {
            if (!rows.containsKey(id) && !deletedMarked.contains(id)) {
                orphans.add(String.valueOf(id));
            }
        }
        String deleted = deletedMarked.isEmpty() ? ""
                : " (" + deletedMarked.size() + " directories marked DELETED kept for their forks: "
                + abbreviate(deletedMarked.stream().map(String::valueOf).toList()) + ")";
        if (orphans.isEmpty()) {
            return new Check("disk → database", Outcome.PASS, "every repository directory has a row" + deleted);
        }
        return new Check("disk → database", Outcome.FAIL, "directories without a repository row: "
                + abbreviate(orphans) + deleted);
    }

    private static Check metadata(Map<Integer, Row> rows, Map<Integer, Path> dirs) throws IOException {
        List<String> mismatches = new ArrayList<>();
        for (Row r : rows.values()) {
            Path dir = dirs.get(r.id());
            if (dir == null) {
                continue;
            }
            Path cfg = dir.resolve("repository-config");
            if (!Files.isRegularFile(cfg)) {
                continue;
            }
            Map<String, String> values = parseBitbucketSection(Files.readString(cfg, StandardCharsets.UTF_8));
            String project = values.get("project");
            String slug = values.get("repository");
            if ((project != null && !project.equals(r.projectKey())) || (slug != null && !slug.equals(r.slug()))) {
                mismatches.add(r.id() + " (row " + r.projectKey() + "/" + r.slug() + ", file " + project + "/"
                        + slug + ")");
            }
        }
        return mismatches.isEmpty()
                ? new Check("repository-config", Outcome.PASS, "project and slug agree with the database")
                : new Check("repository-config", Outcome.WARN, "differs from the database for " + abbreviate(mismatches)
                        + " (Bitbucket may rewrite the file after a rename; not a failure)");
    }

    static Map<String, String> parseBitbucketSection(String text) {
        Map<String, String> out = new HashMap<>();
        boolean inSection = false;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                inSection = line.replace(" ", "").equalsIgnoreCase("[bitbucket]");
            } else if (inSection && line.contains("=")) {
                int eq = line.indexOf('=');
                out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static Check alternates(Path sharedHome, Map<Integer, Path> dirs, Options options, List<Integer> forks)
            throws IOException {
        Path restoredRoot = sharedHome.toAbsolutePath().normalize();
        Path original = options.originalSharedHome() == null ? restoredRoot
                : options.originalSharedHome().toAbsolutePath().normalize();
        List<String> broken = new ArrayList<>();
        int rewritten = 0;
        for (Map.Entry<Integer, Path> e : dirs.entrySet()) {
            Path alt = e.getValue().resolve("objects/info/alternates");
            if (!Files.isRegularFile(alt)) {
                continue;
            }
            forks.add(e.getKey());
            List<String> out = new ArrayList<>();
            boolean changed = false;
            for (String line : Files.readAllLines(alt, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    out.add(line);
                    continue;
                }
                Path target = Path.of(line.strip());
                if (!target.isAbsolute()) {
                    target = e.getValue().resolve("objects").resolve(target).normalize();
                }
                Path mapped = target.normalize();
                if (!restoredRoot.equals(original) && mapped.startsWith(original)) {
                    mapped = restoredRoot.resolve(original.relativize(mapped));
                    if (options.rewriteAlternates()) {
                        changed = true;
                    }
                }
                if (!mapped.startsWith(restoredRoot)) {
                    broken.add(e.getKey() + " → " + target + " (outside the restored shared home " + restoredRoot
                            + "; a home restored to another mount point breaks forks)");
                } else if (!Files.isDirectory(mapped)) {
                    broken.add(e.getKey() + " → " + mapped + " (missing: the upstream repository is not restored)");
                }
                out.add(changed ? mapped.toString() : line);
            }
            if (changed) {
                Files.write(alt, out, StandardCharsets.UTF_8);
                rewritten++;
            }
        }
        if (!broken.isEmpty()) {
            return new Check("fork alternates", Outcome.FAIL, abbreviate(broken));
        }
        return new Check("fork alternates", Outcome.PASS, forks.size() + " forks resolve inside the restored home"
                + (rewritten > 0 ? "; rewritten to the scratch location in " + rewritten + " forks" : ""));
    }

    private int fsckSample(Map<Integer, Row> rows, Map<Integer, Path> dirs, Set<Integer> deletedMarked,
                           List<Integer> forks, Options options, List<Check> checks)
            throws IOException, InterruptedException {
        Random random = new Random(options.seed());
        List<Integer> forkIds = new ArrayList<>(forks);
        forkIds.retainAll(rows.keySet());
        Collections.shuffle(forkIds, random);
        List<Integer> others = new ArrayList<>(rows.keySet());
        others.retainAll(dirs.keySet());
        others.removeAll(forkIds);
        others.removeAll(deletedMarked);
        Collections.shuffle(others, random);
        int n = Math.min(options.fsckSample(), forkIds.size() + others.size());
        List<Integer> sample = new ArrayList<>(forkIds.subList(0, Math.min(forkIds.size(), (n + 1) / 2)));
        for (Integer id : others) {
            if (sample.size() >= n) {
                break;
            }
            sample.add(id);
        }
        List<String> failed = new ArrayList<>();
        for (Integer id : sample) {
            CommandResult r = runner.run(CommandSpec.of("git", "-c", "safe.directory=*", "--git-dir",
                    dirs.get(id).toString(), "fsck", "--full", "--no-progress", "--no-dangling")
                    .timeout(options.fsckTimeout()).build());
            if (!r.succeeded()) {
                String err = (r.stderr() + r.stdout()).strip();
                failed.add(id + ": " + (err.length() > 200 ? err.substring(0, 200) + "…" : err));
            }
        }
        checks.add(failed.isEmpty()
                ? new Check("git fsck", Outcome.PASS, sample.size() + " repositories checked (" + Math.min(
                        forkIds.size(), (n + 1) / 2) + " forks): " + abbreviate(sample.stream().map(String::valueOf)
                        .toList()))
                : new Check("git fsck", Outcome.FAIL, failed.size() + " of " + sample.size() + " failed: "
                        + abbreviate(failed)));
        return sample.size();
    }

    private static Check locks(Path reposDir) throws IOException {
        GitLockCleaner.Report scan = new GitLockCleaner().scan(reposDir);
        if (!scan.removed().isEmpty()) {
            return new Check("stale git locks", Outcome.FAIL, "still present: " + abbreviate(scan.removed())
                    + " (the restore removes them; run the restore's clean-up or remove them with Bitbucket stopped)");
        }
        return new Check("stale git locks", scan.noticed().isEmpty() ? Outcome.PASS : Outcome.WARN,
                scan.noticed().isEmpty() ? "none" : "harmless leftovers: " + abbreviate(scan.noticed()));
    }

    private static Check liquibaseLock(Connection db, BitbucketSchema s) {
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + s.changelogLockTable() + " WHERE locked")) {
            rs.next();
            int locked = rs.getInt(1);
            return locked == 0 ? new Check("liquibase lock", Outcome.PASS, "free")
                    : new Check("liquibase lock", Outcome.FAIL, s.changelogLockTable() + " has " + locked
                    + " locked row(s): Bitbucket would wait for the lock and fail to start. With Bitbucket stopped,"
                    + " run: UPDATE " + s.changelogLockTable() + " SET locked = false, lockgranted = null,"
                    + " lockedby = null");
        } catch (SQLException e) {
            return new Check("liquibase lock", Outcome.WARN, "not checked: " + e.getMessage());
        }
    }

    private static List<Check> identity(Connection db, BitbucketSchema s, Expected expected) {
        List<Check> out = new ArrayList<>();
        if (expected.serverId() != null) {
            String sql = "SELECT " + s.propValue() + " FROM " + s.appPropertyTable() + " WHERE " + s.propKey()
                    + " = 'server.id'";
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                String actual = rs.next() ? rs.getString(1) : null;
                out.add(expected.serverId().equals(actual)
                        ? new Check("server id", Outcome.PASS, "matches the backup")
                        : new Check("server id", Outcome.FAIL, "the restored database has server.id " + actual
                        + " but the restore point recorded " + expected.serverId()
                        + ": this database belongs to another instance"));
            } catch (SQLException e) {
                out.add(new Check("server id", Outcome.FAIL, "cannot read server.id: " + e.getMessage()));
            }
        }
        if (expected.changelogCount() != null || expected.changelogMaxOrder() != null) {
            String sql = "SELECT count(*), coalesce(max(orderexecuted), 0) FROM " + s.changelogTable();
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                int count = rs.getInt(1);
                int max = rs.getInt(2);
                boolean ok = (expected.changelogCount() == null || expected.changelogCount() == count)
                        && (expected.changelogMaxOrder() == null || expected.changelogMaxOrder() == max);
                out.add(ok ? new Check("schema version", Outcome.PASS, count + " changelog entries, as recorded")
                        : new Check("schema version", Outcome.FAIL, "the restored schema has " + count
                        + " changelog entries (highest order " + max + ") but the restore point recorded "
                        + expected.changelogCount() + " (highest " + expected.changelogMaxOrder()
                        + "): the database is from a different Bitbucket release than the restore point"));
            } catch (SQLException e) {
                out.add(new Check("schema version", Outcome.FAIL, "cannot read the changelog: " + e.getMessage()));
            }
        }
        return out;
    }

    private static String abbreviate(List<String> items) {
        if (items.size() <= 10) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, 10)) + " … and " + (items.size() - 10) + " more";
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
