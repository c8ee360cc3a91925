package io.jenkins.plugins.bbdc.jenkins.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.bbdc.core.provider.aws.AwsSettings;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the values of Manage Jenkins » System » HTTP proxy become the engine's proxy settings. */
class JenkinsProxyTest {

    private static AwsSettings aws(JenkinsProxy proxy) {
        AwsSettings.Builder b = AwsSettings.builder().region("eu-west-1");
        proxy.applyTo(b);
        return b.build();
    }

    @Test
    void withoutAProxyServerEveryCallConnectsDirectly() {
        for (String name : new String[] {null, "", "   "}) {
            JenkinsProxy p = JenkinsProxy.of(name, 3128, "user", "pw", "*.internal");
            assertThat(p.isSet()).isFalse();
            assertThat(aws(p).proxy()).isNull();
            assertThat(aws(p).problems()).isEmpty();
        }
        assertThat(aws(JenkinsProxy.NONE).proxy()).isNull();
    }

    @Test
    void theServerPortAndUserBecomeTheAwsProxyAndThePasswordIsNeverShown() {
        JenkinsProxy p = JenkinsProxy.of(" proxy.corp.example ", 3128, " svc-jenkins ", "pr0xy-S3cret", null);
        AwsSettings settings = aws(p);
        assertThat(settings.proxy()).isEqualTo(URI.create("http://proxy.corp.example:3128"));
        assertThat(settings.problems()).isEmpty();
        assertThat(p.userName()).isEqualTo("svc-jenkins");
        assertThat(settings.nonProxyHosts()).isEmpty();
        assertThat(p.toString()).contains("proxy.corp.example:3128", "svc-jenkins").doesNotContain("pr0xy-S3cret");
        assertThat(settings.toString()).contains("proxy.corp.example:3128").doesNotContain("pr0xy-S3cret");
    }

    @Test
    void anIpv6ProxyAddressIsBracketed() {
        assertThat(JenkinsProxy.of("::1", 8080, null, null, null).uri()).isEqualTo(URI.create("http://[::1]:8080"));
    }

    @Test
    void aProxyWithoutAUsablePortSaysWhereToFixIt() {
        for (int port : new int[] {0, -1, 65536}) {
            assertThatThrownBy(() -> JenkinsProxy.of("proxy.corp.example", port, null, null, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("proxy.corp.example").hasMessageContaining("(" + port + ")")
                    .hasMessageContaining("Manage Jenkins » System » HTTP proxy");
        }
        assertThatThrownBy(() -> JenkinsProxy.of("bad host name", 3128, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad host name'");
    }

    @Test
    void noProxyHostsFollowJenkinsRuleOfSeparatorsAndWildcards() {
        // separators: white space, commas, '|' and new lines, as Jenkins' own form accepts them
        JenkinsProxy p = JenkinsProxy.of("proxy", 3128, null, null,
                "*.internal.example.com, 10.0.0.5 |vpce-0abc.ec2.eu-west-1.vpce.amazonaws.com\n\tONTAP01.corp");
        assertThat(p.bypasses("ontap.internal.example.com")).isTrue();
        assertThat(p.bypasses("a.b.internal.example.com")).isTrue();
        assertThat(p.bypasses("10.0.0.5")).isTrue();
        assertThat(p.bypasses("vpce-0abc.ec2.eu-west-1.vpce.amazonaws.com")).isTrue();
        assertThat(p.bypasses("ontap01.corp")).as("host names compare without case").isTrue();
        // the whole name must match, and a dot is a dot, not any character
        assertThat(p.bypasses("internal.example.com")).isFalse();
        assertThat(p.bypasses("ec2.eu-west-1.amazonaws.com")).isFalse();
        assertThat(p.bypasses("10.0.0.50")).isFalse();
        assertThat(p.bypasses("10x0x0x5")).isFalse();
        assertThat(p.bypasses("ontap01.corp.evil.example")).isFalse();
    }

    @Test
    void theAwsSdkGetsTheSameNoProxyDecisionAsJenkins() {
        // the SDK matches each entry as a regular expression against the lower-cased host of a call
        JenkinsProxy p = JenkinsProxy.of("proxy", 3128, null, null, "*.vpce.amazonaws.com 127.0.0.1 Sts.Local");
        AwsSettings settings = aws(p);
        assertThat(settings.nonProxyHosts()).hasSize(3);
        for (String host : List.of("vpce-1.ec2.eu-west-1.vpce.amazonaws.com", "127.0.0.1", "sts.local",
                "ec2.eu-west-1.amazonaws.com", "127.0.0.10", "127x0x0x1", "vpce.amazonaws.com.evil")) {
            boolean sdk = settings.nonProxyHosts().stream().anyMatch(host::matches);
            assertThat(sdk).as(host).isEqualTo(p.bypasses(host));
        }
    }

    @Test
    void theHttpApiProvidersGetTheSameProxyAndNoProxyDecision() {
        JenkinsProxy p = JenkinsProxy.of("proxy.corp.example", 3128, "svc", "pr0xy-S3cret", "ontap*.corp, *.internal");
        var http = p.toHttpProxy();
        assertThat(http.isSet()).isTrue();
        assertThat(http.toString()).contains("proxy.corp.example:3128").doesNotContain("pr0xy-S3cret");
        for (String host : List.of("ontap01.corp", "search.internal", "search.example.com", "ontap01.corp.example")) {
            assertThat(http.bypasses(host)).as(host).isEqualTo(p.bypasses(host));
        }
        assertThat(JenkinsProxy.NONE.toHttpProxy().isSet()).isFalse();
    }

    @Test
    void aUserWithoutAPasswordAuthenticatesWithAnEmptyOneAndAPasswordWithoutAUserIsIgnored() {
        JenkinsProxy noPassword = JenkinsProxy.of("proxy", 3128, "svc", null, null);
        assertThat(noPassword.userName()).isEqualTo("svc");
        assertThat(aws(noPassword).toString()).contains("as svc");
        JenkinsProxy noUser = JenkinsProxy.of("proxy", 3128, "  ", "orphan-S3cret", null);
        assertThat(noUser.userName()).isNull();
        assertThat(aws(noUser).toString()).doesNotContain(" as ").doesNotContain("orphan-S3cret");
    }

    @Test
    void aNoProxyEntryThatIsNoPatternSaysWhichOne() {
        assertThatThrownBy(() -> JenkinsProxy.of("proxy", 3128, null, null, "good.example.com bad[host"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad[host'");
    }
}
