package io.jenkins.plugins.bbdc.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.core.exec.CommandSpec;
import io.jenkins.plugins.bbdc.core.exec.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitLockCleanerTest {
    @TempDir
    Path tmp;
    Path repos;
    Path repo;

    @BeforeEach
    void realBareRepository() throws Exception {
        repos = Files.createDirectories(tmp.resolve("shared/data/repositories"));
        repo = repos.resolve("1");
        new ProcessCommandRunner().check(CommandSpec.of("git", "init", "-q", "--bare", repo.toString()).build());
    }

    @Test
    void removesTheLockFilesASnapshotOfARunningBitbucketLeaves() throws Exception {
        for (String f : new String[] {"index.lock", "HEAD.lock", "config.lock", "gc.pid", "packed-refs.lock",
                "stash-packed-refs.lock", "refs/heads/feature.lock", "logs/refs/heads/main.lock",
                "objects/info/commit-graph.lock"}) {
            Path p = repo.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "stale");
        }
        Files.createDirectories(repo.resolve("stash-refs/pull-requests/1"));
        Files.writeString(repo.resolve("stash-refs/pull-requests/1/from.lock"), "stale");

        GitLockCleaner.Report report = new GitLockCleaner().clean(repos);

        assertThat(report.repositories()).isEqualTo(1);
        assertThat(report.removed()).hasSize(10).contains("1/index.lock", "1/refs/heads/feature.lock",
                "1/stash-refs/pull-requests/1/from.lock");
        assertThat(repo.resolve("index.lock")).doesNotExist();
        assertThat(repo.resolve("stash-refs/pull-requests/1/from.lock")).doesNotExist();
        assertThat(repo.resolve("HEAD")).exists();
        assertThat(repo.resolve("config")).exists();
    }

    @Test
    void keepsPackKeepFilesAndTemporaryPacksButReportsThem() throws Exception {
        Files.writeString(repo.resolve("objects/pack/pack-abc.keep"), "");
        Files.writeString(repo.resolve("objects/pack/tmp_pack_123"), "");
        Files.createDirectories(repo.resolve("objects/incoming-xyz"));

        GitLockCleaner.Report report = new GitLockCleaner().clean(repos);

        assertThat(report.removed()).isEmpty();
        assertThat(report.noticed()).containsExactly("1/objects/pack/pack-abc.keep", "1/objects/pack/tmp_pack_123",
                "1/objects/incoming-xyz");
        assertThat(repo.resolve("objects/pack/pack-abc.keep")).exists();
    }

    @Test
    void scanReportsWithoutDeleting() throws Exception {
        Files.writeString(repo.resolve("index.lock"), "stale");

        GitLockCleaner.Report report = new GitLockCleaner().scan(repos);

        assertThat(report.removed()).containsExactly("1/index.lock");
        assertThat(repo.resolve("index.lock")).exists();
    }

    @Test
    void ignoresDirectoriesThatAreNotRepositoriesAndAMissingRoot() throws Exception {
        Files.createDirectories(repos.resolve("not-a-repo"));
        Files.writeString(repos.resolve("not-a-repo/index.lock"), "user file");

        assertThat(new GitLockCleaner().clean(repos).repositories()).isEqualTo(1);
        assertThat(repos.resolve("not-a-repo/index.lock")).exists();
        assertThat(new GitLockCleaner().clean(tmp.resolve("nowhere")).repositories()).isZero();
    }
}
