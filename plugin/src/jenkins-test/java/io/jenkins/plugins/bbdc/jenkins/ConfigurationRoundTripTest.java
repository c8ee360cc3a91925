package io.jenkins.plugins.bbdc.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
import io.jenkins.plugins.bbdc.jenkins.provider.BtrfsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.OpenSearchSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.PostgresDumpProvider;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The global configuration survives the configuration form unchanged: every field of an instance and of its
 * providers has a getter and a form control, and a second, minimal instance keeps its defaults.
 */
@WithJenkins
class ConfigurationRoundTripTest {

    @Test
    void instancesWithProvidersSurviveTheForm(JenkinsRule r) throws Exception {
        BitbucketInstance prod = new BitbucketInstance("prod", "https://bitbucket.example.com", "bb-admin");
        prod.setAdminUrl("http://bb-admin.internal:7990");
        prod.setNodeUrls("http://bb-node-1:7990\nhttp://bb-node-2:7990");
        prod.setBackupMode("LOCKED");
        prod.setHome(new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots"));
        PostgresDumpProvider db = new PostgresDumpProvider("db.internal", "bitbucket", "pg", "/backups/pg");
        db.setPort(5433);
        db.setJobs(4);
        db.setSslMode("require");
        prod.setDatabase(db);
        OpenSearchSnapshotProvider search = new OpenSearchSnapshotProvider("https://search.internal:9200", "bb-repo");
        search.setCredentialsId("search-admin");
        search.setIndices("bitbucket-*");
        prod.setSearch(search);
        prod.setKeepLast(7);
        prod.setCatalogDirectory("/backups/catalog");
        BitbucketInstance staging = new BitbucketInstance("staging", "https://staging.example.com", "bb-admin");
        BitbucketOpsConfiguration.get().setInstances(List.of(prod, staging));

        r.configRoundtrip();

        BitbucketOpsConfiguration after = BitbucketOpsConfiguration.get();
        assertEquals(2, after.getInstances().size());
        r.assertEqualDataBoundBeans(prod, after.findInstance("prod"));
        r.assertEqualDataBoundBeans(staging, after.findInstance("staging"));
    }
}
