package io.jenkins.plugins.bbdc.jenkins;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jenkins.plugins.bbdc.jenkins.config.BitbucketInstance;
import io.jenkins.plugins.bbdc.jenkins.config.BitbucketOpsConfiguration;
import io.jenkins.plugins.bbdc.jenkins.provider.BtrfsSnapshotProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.PostgresDumpProvider;
import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The YAML of docs/jenkins.md (copied to configuration-as-code.yaml; {@code DocumentedYamlTest} keeps the two equal)
 * configures exactly what it says, and what JCasC exports configures the same instance again.
 */
@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeTest {

    @TempDir
    Path tmp;

    @Test
    @ConfiguredWithCode("configuration-as-code.yaml")
    void theDocumentedYamlConfiguresTheInstance(JenkinsConfiguredWithCodeRule r) {
        BitbucketInstance prod = BitbucketOpsConfiguration.get().findInstance("prod");
        assertEquals("https://bitbucket.example.com", prod.getUrl());
        assertEquals("bitbucket-sysadmin", prod.getCredentialsId());
        assertEquals(List.of("http://bb-node-1.internal:7990", "http://bb-node-2.internal:7990"), prod.nodeUrlList());
        assertEquals("ZERO_DOWNTIME", prod.getBackupMode());
        BtrfsSnapshotProvider home = assertInstanceOf(BtrfsSnapshotProvider.class, prod.getHome());
        assertEquals("/srv/bitbucket/shared", home.getSubvolume());
        assertEquals("/srv/.snapshots", home.getSnapshotDirectory());
        PostgresDumpProvider db = assertInstanceOf(PostgresDumpProvider.class, prod.getDatabase());
        assertEquals("db.internal", db.getHost());
        assertEquals("bitbucket", db.getDatabase());
        assertEquals("bitbucket-db-backup", db.getCredentialsId());
        assertEquals("/backups/bitbucket/pg", db.getDumpDirectory());
        assertEquals(4, db.getJobs());
        assertEquals(5432, db.getPort());
        assertFalse(prod.isAllowControllerAwsIdentity(), "an administrator allowance is off unless configured");
        assertFalse(prod.isAllowControllerFileSystem());
    }

    @Test
    @ConfiguredWithCode("configuration-as-code.yaml")
    void theExportConfiguresTheSameInstanceAgain(JenkinsConfiguredWithCodeRule r) throws Exception {
        BitbucketInstance before = BitbucketOpsConfiguration.get().findInstance("prod");
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        String exported = toYamlString(getUnclassifiedRoot(context).get("bitbucketOps"));

        BitbucketOpsConfiguration.get().setInstances(List.of());
        assertNull(BitbucketOpsConfiguration.get().findInstance("prod"));
        Path yaml = tmp.resolve("exported.yaml");
        Files.writeString(yaml, "unclassified:\n  bitbucketOps:\n"
                + exported.lines().map(line -> "    " + line).collect(Collectors.joining("\n", "", "\n")));
        ConfigurationAsCode.get().configure(yaml.toString());

        r.assertEqualDataBoundBeans(before, BitbucketOpsConfiguration.get().findInstance("prod"));
    }
}
