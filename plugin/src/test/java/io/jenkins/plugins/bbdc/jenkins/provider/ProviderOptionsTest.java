package io.jenkins.plugins.bbdc.jenkins.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import io.jenkins.plugins.bbdc.jenkins.util.CredentialsKinds;
import java.util.Map;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.junit.jupiter.api.Test;

/** What the provider forms tell a user before anything runs: the field rules and the credentials messages. */
class ProviderOptionsTest {

    @Test
    void keyValueFieldsTakeOnePairPerLineAndNameTheBadLine() {
        assertThat(SettingsText.pairs(" a = 1 \n\nb=x=y\r\n", "extraTags"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "x=y")).containsKeys("a", "b");
        assertThat(SettingsText.pairs(null, "extraTags")).isEmpty();
        assertThatThrownBy(() -> SettingsText.pairs("a=1\nb 2", "extraTags"))
                .hasMessageContaining("extraTags").hasMessageContaining("'b 2'").hasMessageContaining("key=value");
        assertThatThrownBy(() -> SettingsText.pairs("=1", "extraTags")).hasMessageContaining("'=1'");
        assertThat(SettingsText.pairsProblem("a=1\na=2", "Extra tags")).contains("'a'").contains("twice");
        assertThat(SettingsText.pairsProblem("a=", "Extra tags")).as("an empty value is a value").isNull();
        assertThat(SettingsText.words(" sg-1, sg-2\nsg-3 ")).containsExactly("sg-1", "sg-2", "sg-3");
    }

    @Test
    void fieldRulesMatchWhatAwsAccepts() {
        assertThat(ProviderChecks.roleSessionNameProblem("jenkins-backup-42")).isNull();
        assertThat(ProviderChecks.roleSessionNameProblem("")).isNull();
        assertThat(ProviderChecks.roleSessionNameProblem("jenkins backup")).contains("'jenkins backup'");
        assertThat(ProviderChecks.roleSessionMinutesProblem("60")).isNull();
        assertThat(ProviderChecks.roleSessionMinutesProblem("10")).contains("15").contains("720").contains("'10'");
        assertThat(ProviderChecks.roleSessionMinutesProblem("1h")).contains("'1h'");
        assertThat(ProviderChecks.minutesProblem("0", "Wait timeout in minutes")).contains("Wait timeout")
                .contains("at least 1");
        assertThat(ProviderChecks.optionalPositiveProblem("0", "IOPS")).isNull();
        assertThat(ProviderChecks.optionalPositiveProblem("-3", "IOPS")).contains("IOPS");
        assertThat(ProviderChecks.volumeTypeProblem("gp3")).isNull();
        assertThat(ProviderChecks.volumeTypeProblem("io3")).contains("'io3'").contains("gp3");
        assertThat(ProviderChecks.securityGroupsProblem("sg-0aaaaaaaaaaaaaaaa, default sg-1"))
                .endsWith(": default, sg-1");
        assertThat(ProviderChecks.securityGroupsProblem("sg-0aaaaaaaaaaaaaaaa sg-0bbbbbbbb")).isNull();
        assertThat(ProviderChecks.volumeIdsProblem("vol-0123456789abcdef0 /dev/xvdf")).contains("/dev/xvdf");
    }

    @Test
    void credentialsMessagesNameKindsAsTheStoreDoes() {
        assertThat(CredentialsKinds.kindName(StandardUsernamePasswordCredentials.class))
                .isEqualTo("Username with password");
        assertThat(CredentialsKinds.kindName(AmazonWebServicesCredentials.class)).isEqualTo("AWS Credentials");
        assertThat(CredentialsKinds.kindName(StringCredentials.class)).isEqualTo("Secret text");
        assertThat(CredentialsKinds.formProblem("search-key", "Secret text", true, "Secret text")).isNull();
        assertThat(CredentialsKinds.formProblem("bb-admin", "SSH Username with private key", false,
                "Username with password")).contains("'bb-admin'").contains("of the kind SSH Username with private key")
                .contains("needs one of the kind Username with password");
        assertThat(CredentialsKinds.formProblem("gone", null, false, "AWS Credentials")).contains("'gone'")
                .contains("choose one of the kind AWS Credentials").contains("domain");
    }

    @Test
    void aBuildNamesTheRoleSessionsItStartsWithinTheStsRules() {
        assertThat(RoleSessionNames.forBuild("bitbucket/nightly backup#42")).isEqualTo("jenkins-bitbucket-nightly-backup-42");
        String longName = RoleSessionNames.forBuild("team/" + "x".repeat(100) + "-prod#1234");
        assertThat(longName).hasSize(64).startsWith("jenkins-x").endsWith("x-prod-1234");
        for (String name : new String[] {longName, RoleSessionNames.forBuild("ü/ö#7")}) {
            assertThat(ProviderChecks.roleSessionNameProblem(name)).as(name).isNull();
        }
    }

    @Test
    void regionsAndCopyDestinationsFollowTheEnginesRegionRule() {
        assertThat(ProviderChecks.regionProblem("eu-west-1")).isNull();
        assertThat(ProviderChecks.regionProblem("us-gov-west-1")).isNull();
        assertThat(ProviderChecks.regionProblem(" ")).as("required is checked separately").isNull();
        assertThat(ProviderChecks.regionProblem("Frankfurt")).contains("'Frankfurt'").contains("eu-west-1");
        assertThat(ProviderChecks.regionProblem("eu-west-1a")).as("a zone is not a region").contains("'eu-west-1a'");

        assertThat(ProviderChecks.copyRegionProblem(null, "eu-west-1", null)).as("no copy").isNull();
        assertThat(ProviderChecks.copyRegionProblem(" eu-central-1 ", "eu-west-1", "alias/dr")).isNull();
        assertThat(ProviderChecks.copyRegionProblem("eu-central", "eu-west-1", null)).contains("'eu-central'");
        assertThat(ProviderChecks.copyRegionProblem("eu-west-1", " eu-west-1", null)).contains("already in eu-west-1")
                .contains("another region");
        assertThat(ProviderChecks.copyRegionProblem("", "eu-west-1", "alias/dr")).contains("KMS key")
                .contains("copy region");
    }

    @Test
    void onlyTheProvidersThatCanCopyHaveACopyDestination() throws Exception {
        assertThat(ProviderModelTest.providers()).filteredOn(c -> {
            try {
                c.getMethod("setCopyRegion", String.class);
                return true;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }).containsExactlyInAnyOrder(EbsSnapshotProvider.class, RdsSnapshotProvider.class,
                AuroraSnapshotProvider.class);
        RdsSnapshotProvider rds = new RdsSnapshotProvider("bitbucket-db", "eu-west-1");
        assertThat(rds.copyDestination()).isEmpty();
        rds.setCopyKmsKeyId(" arn:aws:kms:eu-central-1:123456789012:key/dr ");
        rds.setCopyRegion("eu-central-1");
        assertThat(rds.copyDestination()).containsExactly(Map.entry("region", "eu-central-1"),
                Map.entry("kmsKeyId", "arn:aws:kms:eu-central-1:123456789012:key/dr"));
        rds.setCopyRegion(" eu-west-1 ");
        assertThatThrownBy(rds::copyDestination).isInstanceOf(hudson.AbortException.class)
                .hasMessageContaining("rds bitbucket-db would copy its snapshots to eu-west-1, its own region");
    }

    @Test
    void postgresCredentialsAreScopedByTheDatabaseHost() {
        assertThat(PostgresDumpProvider.credentialsUri(" db.example.com ")).isEqualTo("postgresql://db.example.com");
        assertThat(PostgresDumpProvider.credentialsUri("::1")).isEqualTo("postgresql://[::1]");
        assertThat(PostgresDumpProvider.credentialsUri(" ")).isNull();
    }
}
