package io.jenkins.plugins.bbdc.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
import io.jenkins.plugins.bbdc.jenkins.provider.BtrfsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.PostgresDumpProvider;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import org.junit.jupiter.api.Test;

/** The YAML of docs/jenkins.md configures exactly what it says. */
@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("configuration-as-code.yaml")
    void theDocumentedYamlConfiguresTheInstance(JenkinsConfiguredWithCodeRule r) {
        BitbucketInstance prod = BitbucketOpsConfiguration.get().findInstance("prod");
        assertEquals("https://bitbucket.example.com", prod.getUrl());
        assertEquals("bitbucket-sysadmin", prod.getCredentialsId());
        assertEquals(2, prod.nodeUrlList().size());
        assertEquals("ZERO_DOWNTIME", prod.getBackupMode());
        BtrfsSnapshotProvider home = assertInstanceOf(BtrfsSnapshotProvider.class, prod.getHome());
        assertEquals("/srv/bitbucket/shared", home.getSubvolume());
        PostgresDumpProvider db = assertInstanceOf(PostgresDumpProvider.class, prod.getDatabase());
        assertEquals(4, db.getJobs());
        assertEquals("bitbucket-db-backup", db.getCredentialsId());
    }
}
