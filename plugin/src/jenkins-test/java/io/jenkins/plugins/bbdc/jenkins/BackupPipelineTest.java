package io.jenkins.plugins.bbdc.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import io.jenkins.plugins.bbdc.jenkins.actions.OperationAction;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
import io.jenkins.plugins.bbdc.jenkins.provider.PostgresDumpProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.RsyncCopyProvider;
import io.jenkins.plugins.bbdc.testkit.bitbucket.BitbucketSimulator;
import io.jenkins.plugins.bbdc.testkit.postgres.ThrowawayPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code bitbucketBackup} in a real Pipeline, on an agent, against the Bitbucket simulator over HTTP and a real
 * PostgreSQL 15 dumped by pg_dump, with an rsync home (no btrfs needed); retention after the second backup; and no
 * password anywhere in the build's directory or log.
 */
@WithJenkins
class BackupPipelineTest {
    private static final String BB_PASSWORD = "Bb-Ops-S3cret-4711";
    private static ThrowawayPostgres pg;
    private static BitbucketSimulator sim;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBitbucketAndPostgres() throws Exception {
        pg = ThrowawayPostgres.start();
        pg.createDatabase("bitbucket");
        pg.execute("bitbucket", "CREATE TABLE repository (id bigserial PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO repository (name) SELECT 'repo-' || g FROM generate_series(1, 50) g");
        sim = BitbucketSimulator.builder().nodes(1).user("jenkins-ops", BB_PASSWORD, true)
                .drainTime(Duration.ofMillis(100)).start();
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void lockedBackupReturnsTheRestorePointAppliesKeepLastAndLeaksNoPassword(JenkinsRule r) throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("home/shared/data/repositories/1"));
        Files.writeString(shared.resolve("HEAD"), "ref: refs/heads/main\n");
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "bb-admin", "Bitbucket admin", "jenkins-ops", BB_PASSWORD));
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "pg", "PostgreSQL backup", pg.user(), pg.password()));
        SystemCredentialsProvider.getInstance().save();

        BitbucketInstance prod = new BitbucketInstance("prod", sim.baseUrl().toString(), "bb-admin");
        prod.setBackupMode("LOCKED");
        prod.setCatalogDirectory(tmp.resolve("catalog").toString());
        prod.setHome(new RsyncCopyProvider(tmp.resolve("home/shared").toString(), tmp.resolve("rsync").toString()));
        PostgresDumpProvider db = new PostgresDumpProvider(pg.host(), "bitbucket", "pg",
                Files.createDirectories(tmp.resolve("dumps")).toString());
        db.setPort(pg.port());
        prod.setDatabase(db);
        prod.setKeepLast(1);
        BitbucketOpsConfiguration.get().setInstances(List.of(prod));
        r.createOnlineSlave();

        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition(String.join("\n",
                "node('!built-in') {",
                "  def first = bitbucketBackup 'prod'",
                "  echo \"FIRST ${first.status} ${first.mode} components=${first.components.size()}\"",
                "  def second = bitbucketBackup 'prod'",
                "  echo \"SECOND ${second.status}\"",
                "  echo \"RETENTION deletedFirst=${second.retention.deleted == [first.restorePointId]} clean=${second.retention.clean}\"",
                "}"), true));
        WorkflowRun b = r.buildAndAssertSuccess(p);

        r.assertLogContains("FIRST COMPLETE LOCKED components=2", b);
        r.assertLogContains("SECOND COMPLETE", b);
        r.assertLogContains("RETENTION deletedFirst=true clean=true", b);
        assertEquals(false, sim.isLocked(), "Bitbucket is left unlocked");
        OperationAction page = b.getAction(OperationAction.class);
        assertNotNull(page, "the build has an operation page");

        assertEquals(Set.of("ref: refs/heads/main\n"), contentsOf(tmp.resolve("rsync"), "HEAD"),
                "the kept restore point holds the repository files");

        r.assertLogNotContains(BB_PASSWORD, b);
        r.assertLogNotContains(pg.password(), b);
        // the build directory (build.xml, program.dat, the operation page) and everything else Jenkins persisted
        assertEquals(Set.of(), grep(r.jenkins.getRootDir(), BB_PASSWORD));
        assertEquals(Set.of(), grep(r.jenkins.getRootDir(), pg.password()));
        assertEquals(Set.of(), grep(tmp.resolve("catalog").toFile(), BB_PASSWORD));
        assertEquals(Set.of(), grep(tmp.resolve("catalog").toFile(), pg.password()));
    }

    /** The distinct contents of the files named {@code name} under {@code dir}. */
    private static Set<String> contentsOf(Path dir, String name) throws IOException {
        Set<String> contents = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().equals(name))::iterator) {
                contents.add(Files.readString(f));
            }
        }
        return contents;
    }

    /** Files under {@code dir} whose content contains {@code secret}. */
    private static Set<String> grep(File dir, String secret) throws IOException {
        Set<String> hits = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir.toPath())) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (text.contains(secret)) {
                    hits.add(dir.toPath().relativize(f).toString());
                }
            }
        }
        return hits;
    }
}
