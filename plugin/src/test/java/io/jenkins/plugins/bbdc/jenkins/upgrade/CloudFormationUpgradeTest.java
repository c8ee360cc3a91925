package io.jenkins.plugins.bbdc.jenkins.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.jenkins.plugins.bbdc.core.exec.CommandRunner;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsCredentialsConfig;
import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import io.jenkins.plugins.bbdc.core.upgrade.aws.CloudFormationUpgradeConfig;
import io.jenkins.plugins.bbdc.jenkins.provider.ComponentProvider;
import io.jenkins.plugins.bbdc.jenkins.provider.ProviderServices;
import io.jenkins.plugins.bbdc.jenkins.util.JenkinsProxy;
import io.jenkins.plugins.bbdc.jenkins.util.UsernamePassword;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Every field of {@code cloudFormation(…)} reaches the engine, and unusable settings are refused saying what to fix. */
class CloudFormationUpgradeTest {
    private static final String GROUP = "bitbucket-ClusterNodeGroup-1A2B3C";

    /** A build whose credentials store holds the AWS entry {@code aws-upgrade}, behind Jenkins' HTTP proxy. */
    static final class Services implements ProviderServices {
        final List<String> asked = new ArrayList<>();
        JenkinsProxy proxy = JenkinsProxy.NONE;
        boolean controllerIdentityAllowed;

        @Override
        public boolean controllerAwsIdentityAllowed() {
            return controllerIdentityAllowed;
        }

        @Override
        public String instanceId() {
            return "prod";
        }

        @Override
        public CommandRunner commandRunner(ComponentProvider provider) throws AbortException {
            throw new AbortException("no agent");
        }

        @Override
        public UsernamePassword usernamePassword(String id, String usedFor, String uri) throws AbortException {
            throw new AbortException("Could not find a credentials entry with ID '" + id + "'");
        }

        @Override
        public String secretText(String id, String usedFor, String uri) throws AbortException {
            throw new AbortException("Could not find a credentials entry with ID '" + id + "'");
        }

        @Override
        public AwsCredentialsProvider aws(String id) throws AbortException {
            asked.add(id);
            if (!"aws-upgrade".equals(id)) {
                throw new AbortException("Could not find a credentials entry with ID '" + id + "'");
            }
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAUPGRADE", "aws-S3cret"));
        }

        @Override
        public String defaultRoleSessionName() {
            return "jenkins-ops-upgrade-12";
        }

        @Override
        public JenkinsProxy proxy() {
            return proxy;
        }
    }

    private static CloudFormationUpgrade everyField() {
        CloudFormationUpgrade cf = new CloudFormationUpgrade(" eu-west-1 ", " " + GROUP + " ");
        cf.setStack(" bitbucket-prod ");
        cf.setVersionParameter("BitbucketVersionParam");
        cf.setNodeInstances("bb-node-1 = i-0123456789abcdef0\n\n10.0.1.12=i-0fedcba9876543210\r\n");
        cf.setStackUpdateTimeoutMinutes(45);
        cf.setReplacementTimeoutMinutes(25);
        cf.setCredentialsId(" aws-upgrade ");
        cf.setRoleArn("arn:aws:iam::123456789012:role/bitbucket-upgrade");
        cf.setExternalId("bitbucket-ops-7");
        cf.setRoleSessionName("upgrade-of-prod");
        cf.setRoleSessionDurationMinutes(120);
        cf.setEndpointUrl("https://vpce-0a1b2c.autoscaling.eu-west-1.vpce.amazonaws.com");
        return cf;
    }

    @Test
    void everyFieldReachesTheEngineAndTheAwsConnection() throws Exception {
        CloudFormationUpgrade cf = everyField();
        CloudFormationUpgradeConfig config = cf.toConfig();
        assertThat(config.region()).isEqualTo("eu-west-1");
        assertThat(config.autoScalingGroup()).isEqualTo(GROUP);
        assertThat(config.updatesStack()).isTrue();
        assertThat(config.stackName()).isEqualTo("bitbucket-prod");
        assertThat(config.versionParameter()).isEqualTo("BitbucketVersionParam");
        assertThat(config.nodeInstances()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "bb-node-1", "i-0123456789abcdef0", "10.0.1.12", "i-0fedcba9876543210"));
        assertThat(config.stackUpdateTimeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(config.replacementTimeout()).isEqualTo(Duration.ofMinutes(25));

        Services services = new Services();
        services.proxy = JenkinsProxy.of("proxy.example.com", 3128, null, null, "*.vpce.amazonaws.com");
        try (CloudFormationUpgrade.EngineAction engine = cf.open(services)) {
            AwsSettings settings = engine.settings();
            assertThat(settings.region()).isEqualTo("eu-west-1");
            assertThat(settings.endpointOverride())
                    .hasToString("https://vpce-0a1b2c.autoscaling.eu-west-1.vpce.amazonaws.com");
            assertThat(settings.proxy()).hasToString("http://proxy.example.com:3128");
            assertThat(settings.nonProxyHosts()).containsExactly(".*\\.vpce\\.amazonaws\\.com");
            AwsCredentialsConfig credentials = settings.credentials();
            assertThat(credentials.kind()).isEqualTo(AwsCredentialsConfig.Kind.ASSUME_ROLE);
            assertThat(credentials.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/bitbucket-upgrade");
            assertThat(credentials.sessionName()).isEqualTo("upgrade-of-prod");
            assertThat(credentials.sessionDuration()).isEqualTo(Duration.ofMinutes(120));
            assertThat(credentials.base().kind()).isEqualTo(AwsCredentialsConfig.Kind.PROVIDED);
            assertThat(credentials.base().provider().resolveCredentials().accessKeyId()).isEqualTo("AKIAUPGRADE");
            assertThat(settings.toString()).doesNotContain("aws-S3cret");
            // the plan names the stack update and the instance of each mapped node
            assertThat(engine.action().describe(new io.jenkins.plugins.bbdc.core.upgrade.UpgradeNodeContext(
                    "id-1", "bb-node-1", "10.0.1.11", "http://10.0.1.11:7990", "8.19.1", "8.19.2", 1, 3, false)))
                    .anySatisfy(l -> assertThat(l).contains("UpdateStack bitbucket-prod")
                            .contains("BitbucketVersionParam=8.19.2"))
                    .anySatisfy(l -> assertThat(l).contains("i-0123456789abcdef0").contains(GROUP));
        }
        assertThat(services.asked).containsExactly("aws-upgrade");
    }

    @Test
    void theDefaultsAreTheEnginesAndTheControllersCredentialChainWhereTheInstanceAllowsIt() throws Exception {
        CloudFormationUpgrade cf = new CloudFormationUpgrade("us-gov-west-1", GROUP);
        assertThat(cf.getVersionParameter()).isEqualTo("BitbucketVersion");
        assertThat(cf.getStackUpdateTimeoutMinutes()).isEqualTo(60);
        assertThat(cf.getReplacementTimeoutMinutes()).isEqualTo(30);
        assertThat(cf.getRoleSessionDurationMinutes()).isEqualTo(60);
        cf.setVersionParameter("BitbucketVersion");
        assertThat(cf.getVersionParameter()).isEqualTo("BitbucketVersion");
        CloudFormationUpgradeConfig config = cf.toConfig();
        assertThat(config.updatesStack()).as("no stack: only instances are replaced").isFalse();
        assertThat(config.nodeInstances()).isEmpty();
        assertThat(config.stackUpdateTimeout()).isEqualTo(CloudFormationUpgradeConfig.builder().build()
                .stackUpdateTimeout());
        assertThat(config.replacementTimeout()).isEqualTo(CloudFormationUpgradeConfig.builder().build()
                .replacementTimeout());
        cf.setStack("bitbucket");
        assertThat(cf.toConfig().versionParameter()).isEqualTo("BitbucketVersion");

        Services services = new Services();
        assertThatThrownBy(() -> cf.open(services)).isInstanceOf(AbortException.class)
                .hasMessageContaining("The CloudFormation upgrade (Auto Scaling group " + GROUP)
                .hasMessageContaining("names no AWS credentials entry")
                .hasMessageContaining("Allow the controller AWS identity for the instance 'prod'");
        services.controllerIdentityAllowed = true;
        try (CloudFormationUpgrade.EngineAction engine = cf.open(services)) {
            assertThat(engine.settings().credentials().kind()).isEqualTo(AwsCredentialsConfig.Kind.DEFAULT_CHAIN);
            assertThat(engine.settings().endpointOverride()).isNull();
            assertThat(engine.settings().proxy()).isNull();
        }
        assertThat(services.asked).isEmpty();

        cf.setRoleArn("arn:aws:iam::123456789012:role/bitbucket-upgrade");
        try (CloudFormationUpgrade.EngineAction engine = cf.open(services)) {
            assertThat(engine.settings().credentials().sessionName()).as("named after the build")
                    .isEqualTo("jenkins-ops-upgrade-12");
            assertThat(engine.settings().credentials().base().kind())
                    .isEqualTo(AwsCredentialsConfig.Kind.DEFAULT_CHAIN);
        }
    }

    /** A freestyle job saved before the timeouts and role session settings existed, loaded as Jenkins loads it. */
    @Test
    void settingsSavedWithoutTheTimeoutsGetTheDefaultsAndStillOpen() throws Exception {
        CloudFormationUpgrade cf = io.jenkins.plugins.bbdc.jenkins.SavedConfiguration.load(
                CloudFormationUpgrade.class, java.util.Map.of("region", "eu-west-1", "autoScalingGroup", GROUP,
                        "stack", "bitbucket"));
        assertThat(cf.getStackUpdateTimeoutMinutes()).isEqualTo(60);
        assertThat(cf.getReplacementTimeoutMinutes()).isEqualTo(30);
        assertThat(cf.getRoleSessionDurationMinutes()).isEqualTo(60);
        assertThat(cf.getVersionParameter()).isEqualTo("BitbucketVersion");
        CloudFormationUpgradeConfig config = cf.toConfig();
        assertThat(config.stackUpdateTimeout()).isEqualTo(Duration.ofMinutes(60));
        assertThat(config.replacementTimeout()).isEqualTo(Duration.ofMinutes(30));
        Services services = new Services();
        services.controllerIdentityAllowed = true; // saved without a credentials entry: the instance allows that
        try (CloudFormationUpgrade.EngineAction engine = cf.open(services)) {
            assertThat(engine.settings().credentials().kind()).isEqualTo(AwsCredentialsConfig.Kind.DEFAULT_CHAIN);
        }
    }

    @Test
    void unusableSettingsAreRefusedNamingWhatToChange() {
        assertThatThrownBy(() -> new CloudFormationUpgrade(" ", null).toConfig()).isInstanceOf(AbortException.class)
                .hasMessageContaining("region is required").hasMessageContaining("autoScalingGroup is required");
        assertThatThrownBy(() -> new CloudFormationUpgrade("Ireland", GROUP).toConfig())
                .hasMessageContaining("'Ireland' is not an AWS region name").hasMessageContaining("eu-west-1");

        CloudFormationUpgrade noStack = new CloudFormationUpgrade("eu-west-1", GROUP);
        noStack.setVersionParameter("Version");
        assertThatThrownBy(noStack::toConfig).hasMessageContaining("versionParameter 'Version' only applies with"
                + " stack");

        CloudFormationUpgrade badMap = new CloudFormationUpgrade("eu-west-1", GROUP);
        badMap.setNodeInstances("bb-node-1 i-0123456789abcdef0");
        assertThatThrownBy(badMap::toConfig).hasMessageContaining("nodeInstances")
                .hasMessageContaining("bb-node-1 i-0123456789abcdef0");
        badMap.setNodeInstances("bb-node-1=vol-0123456789abcdef0\nbb-node-2=i-0aaaabbbbccccdddd");
        assertThatThrownBy(badMap::toConfig).hasMessageContaining("Not EC2 instance ids")
                .hasMessageContaining("vol-0123456789abcdef0").hasMessageNotContaining("i-0aaaabbbbccccdddd");

        CloudFormationUpgrade badRole = new CloudFormationUpgrade("eu-west-1", GROUP);
        badRole.setRoleSessionName("has spaces");
        badRole.setRoleSessionDurationMinutes(5);
        badRole.setEndpointUrl("vpce-0a1b2c.amazonaws.com");
        assertThatThrownBy(badRole::toConfig).hasMessageContaining("'has spaces' is not a role session name")
                .hasMessageContaining("from 15 to 720").hasMessageContaining("endpointUrl must be an absolute");

        assertThatThrownBy(() -> new CloudFormationUpgrade("eu-west-1", GROUP).setReplacementTimeoutMinutes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replacementTimeoutMinutes");
        assertThatThrownBy(() -> new CloudFormationUpgrade("eu-west-1", GROUP).setStackUpdateTimeoutMinutes(-1))
                .hasMessageContaining("stackUpdateTimeoutMinutes");
    }

    @Test
    void theAwsConnectionIsRefusedAsTheProvidersIs() {
        CloudFormationUpgrade sessionWithoutRole = new CloudFormationUpgrade("eu-west-1", GROUP);
        sessionWithoutRole.setRoleSessionDurationMinutes(120);
        assertThatThrownBy(() -> sessionWithoutRole.open(new Services())).isInstanceOf(AbortException.class)
                .hasMessageContaining("The CloudFormation upgrade (Auto Scaling group " + GROUP + " in eu-west-1)")
                .hasMessageContaining("no roleArn");

        CloudFormationUpgrade unknown = new CloudFormationUpgrade("eu-west-1", GROUP);
        unknown.setCredentialsId("nope");
        assertThatThrownBy(() -> unknown.open(new Services())).isInstanceOf(AbortException.class)
                .hasMessageContaining("'nope'");
    }

    @Test
    void theFormRulesSayWhatIsWrong() {
        assertThat(CloudFormationUpgrade.regionProblem("eu-west-1")).isNull();
        assertThat(CloudFormationUpgrade.regionProblem(" ")).contains("Region is required");
        assertThat(CloudFormationUpgrade.regionProblem("EU (Ireland)")).contains("not an AWS region name");
        assertThat(CloudFormationUpgrade.nodeInstancesProblem(null)).isNull();
        assertThat(CloudFormationUpgrade.nodeInstancesProblem("bb-node-1=i-0123456789abcdef0")).isNull();
        assertThat(CloudFormationUpgrade.nodeInstancesProblem("bb-node-1=i-1\nbb-node-1=i-0123456789abcdef0"))
                .contains("'bb-node-1'");
        assertThat(CloudFormationUpgrade.nodeInstancesProblem("bb-node-1=i-xyz")).contains("i-xyz");
        assertThat(CloudFormationUpgrade.minutesProblem("", "Replacement timeout per node in minutes")).isNull();
        assertThat(CloudFormationUpgrade.minutesProblem("0", "Replacement timeout per node in minutes"))
                .contains("Replacement timeout per node in minutes").contains("'0'");
        assertThat(CloudFormationUpgrade.endpointUrlProblem("http://127.0.0.1:4566")).isNull();
        assertThat(CloudFormationUpgrade.endpointUrlProblem("ftp://x")).contains("'ftp://x'");
    }

    @Test
    void theSettingsKeptWithARunningStepHoldNoSecret() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(everyField());
        }
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        assertThat(text).contains("aws-upgrade").contains("bitbucket-prod").doesNotContain("aws-S3cret");
    }
}
