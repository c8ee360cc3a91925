package io.jenkins.plugins.bbdc.jenkins.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceValidationTest {

    @Test
    void idsMustFitSnapshotNamesAndTags() {
        assertThat(InstanceValidation.idProblem("prod")).isNull();
        assertThat(InstanceValidation.idProblem("eu-west.prod_2")).isNull();
        assertThat(InstanceValidation.idProblem("")).contains("Id is required");
        assertThat(InstanceValidation.idProblem("prod bitbucket")).contains("'prod bitbucket'").contains("letters");
        assertThat(InstanceValidation.idProblem("-x")).isNotNull();
    }

    @Test
    void urlsMustBeHttpWithAHostAndNoCredentials() {
        assertThat(InstanceValidation.urlProblem("https://bitbucket.example.com/context", "Bitbucket URL")).isNull();
        assertThat(InstanceValidation.urlProblem("bitbucket.example.com", "Bitbucket URL"))
                .contains("'bitbucket.example.com'").contains("http(s)");
        assertThat(InstanceValidation.urlProblem("ftp://host", "Bitbucket URL")).isNotNull();
        assertThat(InstanceValidation.urlProblem("https://admin:secret@host", "Bitbucket URL"))
                .contains("credentials store").doesNotContain("secret");
        assertThat(InstanceValidation.urlProblem(" ", "Admin URL")).contains("Admin URL is required");
    }

    @Test
    void nodeUrlsAreCheckedLineByLine() {
        assertThat(InstanceValidation.nodeUrlProblems("http://n1:7990\n\n  http://n2:7990  \n")).isEmpty();
        assertThat(InstanceValidation.nodeUrlProblems("http://n1:7990\nn2:7990")).hasSize(1);
        assertThat(InstanceValidation.lines("a\r\n b \n\n")).containsExactly("a", "b");
    }

    @Test
    void aSecondInstanceWithTheSameIdIsRefused() {
        BitbucketInstance a = new BitbucketInstance("prod", "https://a", "c");
        BitbucketInstance b = new BitbucketInstance(" prod ", "https://b", "c");
        assertThat(InstanceValidation.duplicateIdProblem(List.of(a, b))).contains("'prod'");
        assertThat(InstanceValidation.duplicateIdProblem(List.of(a))).isNull();
    }

    @Test
    void anUnknownInstanceIdNamesTheConfiguredOnes() throws Exception {
        List<BitbucketInstance> all = List.of(new BitbucketInstance("prod", "https://a", "c"),
                new BitbucketInstance("staging", "https://b", "c"));
        assertThat(BitbucketOpsConfiguration.require(all, "prod ").getUrl()).isEqualTo("https://a");
        assertThatThrownBy(() -> BitbucketOpsConfiguration.require(all, "qa"))
                .isInstanceOf(AbortException.class).hasMessageContaining("'qa'").hasMessageContaining("prod, staging");
        assertThatThrownBy(() -> BitbucketOpsConfiguration.require(List.of(), "qa"))
                .hasMessageContaining("Manage Jenkins");
    }

    @Test
    void instanceSettingsAreNormalised() {
        BitbucketInstance i = new BitbucketInstance(" prod ", "https://bb.example.com/", " bb-admin ");
        i.setAdminUrl("  ");
        i.setBackupMode("locked");
        i.setNodeUrls("http://n1:7990\nhttp://n2:7990\n");
        assertThat(i.getId()).isEqualTo("prod");
        assertThat(i.getUrl()).isEqualTo("https://bb.example.com");
        assertThat(i.getCredentialsId()).isEqualTo("bb-admin");
        assertThat(i.getAdminUrl()).isNull();
        assertThat(i.effectiveAdminUrl()).isEqualTo("https://bb.example.com");
        assertThat(i.getBackupMode()).isEqualTo("LOCKED");
        assertThat(i.nodeUrlList()).containsExactly("http://n1:7990", "http://n2:7990");
        assertThatThrownBy(() -> i.setBackupMode("snapshot")).hasMessageContaining("'snapshot'")
                .hasMessageContaining("ZERO_DOWNTIME or LOCKED");
        assertThatThrownBy(() -> i.setKeepLast(-1)).hasMessageContaining("-1");
    }
}
