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
        assertThat(ProviderChecks.minutesProblem("0", "Wait timeout (minutes)")).contains("Wait timeout")
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
    void postgresCredentialsAreScopedByTheDatabaseHost() {
        assertThat(PostgresDumpProvider.credentialsUri(" db.example.com ")).isEqualTo("postgresql://db.example.com");
        assertThat(PostgresDumpProvider.credentialsUri("::1")).isEqualTo("postgresql://[::1]");
        assertThat(PostgresDumpProvider.credentialsUri(" ")).isNull();
    }
}
