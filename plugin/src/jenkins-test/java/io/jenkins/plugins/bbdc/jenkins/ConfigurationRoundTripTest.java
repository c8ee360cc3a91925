package io.jenkins.plugins.bbdc.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
import io.jenkins.plugins.bbdc.jenkins.provider.BtrfsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.PostgresDumpProvider;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The global configuration survives the configuration form unchanged (every field has a getter and a form control). */
@WithJenkins
class ConfigurationRoundTripTest {

    @Test
    void instancesWithProvidersSurviveTheForm(JenkinsRule r) throws Exception {
        BitbucketInstance prod = new BitbucketInstance("prod", "https://bitbucket.example.com", "bb-admin");
        prod.setNodeUrls("http://bb-node-1:7990\nhttp://bb-node-2:7990");
        prod.setBackupMode("LOCKED");
        prod.setHome(new BtrfsSnapshotProvider("/srv/bb/shared", "/srv/.snapshots"));
        PostgresDumpProvider db = new PostgresDumpProvider("db.internal", "bitbucket", "pg", "/backups/pg");
        db.setJobs(4);
        prod.setDatabase(db);
        BitbucketOpsConfiguration config = BitbucketOpsConfiguration.get();
        config.setInstances(List.of(prod, new BitbucketInstance("staging", "https://staging.example.com", "bb-admin")));

        r.configRoundtrip();

        BitbucketOpsConfiguration after = BitbucketOpsConfiguration.get();
        assertEquals(2, after.getInstances().size());
        r.assertEqualDataBoundBeans(prod, after.findInstance("prod"));
        assertNotNull(after.findInstance("staging"));
    }
}
