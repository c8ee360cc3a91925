package io.jenkins.plugins.bbdc.jenkins.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.provider.SnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** Jenkins provider settings become engine providers; credentials come from the build, by id, in memory only. */
class EngineMappingTest {

    /** Services of a build whose credentials store holds one username/password entry. */
    static final class FakeServices implements ProviderServices {
        final List<String> asked = new ArrayList<>();

        @Override
        public String instanceId() {
            return "prod";
        }

        @Override
        public CommandRunner commandRunner(ComponentProvider provider) throws AbortException {
            throw new AbortException(provider.describe() + " needs a node");
        }

        @Override
        public UsernamePassword usernamePassword(String credentialsId, String usedFor) throws AbortException {
            asked.add(credentialsId + " for " + usedFor);
            if (!"pg-backup".equals(credentialsId)) {
                throw new AbortException("Could not find a credentials entry with ID '" + credentialsId + "'");
            }
            return new UsernamePassword("bitbucket_backup", "pg-S3cret");
        }

        @Override
        public AwsCredentialsProvider aws(String credentialsId) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void btrfsAndRsyncBecomeTheEngineProviders() throws Exception {
        SnapshotProvider btrfs = new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots").toEngine(new FakeServices());
        assertThat(btrfs.kind()).isEqualTo("btrfs");
        RsyncCopyProvider r = new RsyncCopyProvider("/srv/bb/shared", "/backup/bb");
        r.setLayout("dc-home");
        r.setExcludedRepositories("12, 57");
        assertThat(r.toEngine(new FakeServices()).kind()).isEqualTo("rsync");
    }

    @Test
    void misconfigurationsAreReportedWithTheProvider() {
        assertThatThrownBy(() -> new BtrfsSnapshotProvider("relative/dir", "/srv/.snapshots").toEngine(new FakeServices()))
                .isInstanceOf(AbortException.class).hasMessageContaining("btrfs relative/dir");
        RsyncCopyProvider r = new RsyncCopyProvider("/srv/bb/shared", "/backup/bb");
        r.setLayout("nfs");
        assertThatThrownBy(() -> r.toEngine(new FakeServices())).hasMessageContaining("'nfs'")
                .hasMessageContaining("SHARED_HOME");
    }

    @Test
    void postgresCredentialsAreLookedUpByIdAndNeverShownInTheProvider() throws Exception {
        FakeServices services = new FakeServices();
        PostgresDumpProvider p = new PostgresDumpProvider("db.example.com", "bitbucket", "pg-backup", "/backups/pg");
        SnapshotProvider engine = p.toEngine(services);
        assertThat(engine.kind()).isEqualTo("postgres");
        assertThat(services.asked).containsExactly("pg-backup for the PostgreSQL database bitbucket on db.example.com");
        assertThat(String.join("\n", engine.plan(ctx()))).doesNotContain("pg-S3cret");

        PostgresDumpProvider wrong = new PostgresDumpProvider("db", "bitbucket", "nope", "/backups/pg");
        assertThatThrownBy(() -> wrong.toEngine(services)).hasMessageContaining("'nope'");
    }

    @Test
    void providersNotYetInTheEngineSaySo() {
        assertThatThrownBy(() -> new ZfsSnapshotProvider("tank/bb").toEngine(new FakeServices()))
                .isInstanceOf(AbortException.class).hasMessageContaining("'zfs'");
    }

    private static io.jenkins.plugins.bbdc.core.provider.ProviderContext ctx() {
        return new io.jenkins.plugins.bbdc.core.provider.ProviderContext("prod",
                io.jenkins.plugins.bbdc.core.provider.ComponentRole.DATABASE, null,
                spec -> {
                    throw new java.io.IOException("no commands in a plan");
                }, null, null, null);
    }
}
