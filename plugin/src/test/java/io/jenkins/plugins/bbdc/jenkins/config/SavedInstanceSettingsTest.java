package io.jenkins.plugins.bbdc.jenkins.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.jenkins.SavedConfiguration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Bitbucket instance saved by an earlier version of the plugin (the global configuration), loaded the way Jenkins
 * loads it: the administrator allowances added since are off, so an upgrade grants no job anything new.
 */
class SavedInstanceSettingsTest {

    @Test
    void anInstanceSavedBeforeTheAllowancesExistedAllowsNeitherTheControllersIdentityNorItsFileSystem()
            throws Exception {
        BitbucketInstance saved = SavedConfiguration.load(BitbucketInstance.class, Map.of(
                "id", "prod", "url", "https://bitbucket.example.com", "credentialsId", "bb-admin",
                "backupMode", "ZERO_DOWNTIME", "keepLast", 7));

        assertThat(saved.isAllowControllerAwsIdentity()).isFalse();
        assertThat(saved.isAllowControllerFileSystem()).isFalse();
        assertThat(saved.getKeepLast()).isEqualTo(7);
    }

    @Test
    void aSavedAllowanceIsKept() throws Exception {
        BitbucketInstance saved = SavedConfiguration.load(BitbucketInstance.class, Map.of(
                "id", "prod", "url", "https://bitbucket.example.com", "credentialsId", "bb-admin",
                "allowControllerAwsIdentity", true, "allowControllerFileSystem", true));
        assertThat(saved.isAllowControllerAwsIdentity()).isTrue();
        assertThat(saved.isAllowControllerFileSystem()).isTrue();

        BitbucketInstance fresh = new BitbucketInstance("prod", "https://bitbucket.example.com", "bb-admin");
        assertThat(fresh.isAllowControllerAwsIdentity()).as("a new instance").isFalse();
        assertThat(fresh.isAllowControllerFileSystem()).isFalse();
    }
}
