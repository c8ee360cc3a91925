package io.jenkins.plugins.bbdc.core.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BitbucketClientOptionsTest {

    @Test
    void defaultsAreExplicitAndAdminUrlFallsBackToTheBaseUrl() {
        BitbucketClientOptions o = BitbucketClientOptions.builder("http://localhost:7990/bitbucket/")
                .basicAuth("admin", "pw").build();
        assertThat(o.baseUrl()).isEqualTo(URI.create("http://localhost:7990/bitbucket"));
        assertThat(o.adminUrl()).isEqualTo(o.baseUrl());
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.retryPolicy()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(o.userAgent()).startsWith("bbdc-ops/").doesNotContain("${");
        assertThat(o.credentials()).isInstanceOf(BitbucketCredentials.Basic.class);
    }

    @Test
    void adminUrlIsKeptSeparately() {
        BitbucketClientOptions o = BitbucketClientOptions.builder("https://bb.example.com")
                .adminUrl("http://10.0.1.11:7990").basicAuth("admin", "pw").build();
        assertThat(o.adminUrl()).isEqualTo(URI.create("http://10.0.1.11:7990"));
    }

    @Test
    void badUrlsAreExplained() {
        assertThatThrownBy(() -> BitbucketClientOptions.builder("bb.example.com").basicAuth("a", "b").build())
                .hasMessageContaining("absolute http(s) URL");
        assertThatThrownBy(() -> BitbucketClientOptions.builder("ftp://bb").basicAuth("a", "b").build())
                .hasMessageContaining("absolute http(s) URL");
        assertThatThrownBy(() -> BitbucketClientOptions.builder("http://admin:pw@bb").basicAuth("a", "b").build())
                .hasMessageContaining("must not contain a user name or password").hasMessageNotContaining("pw@");
        assertThatThrownBy(() -> BitbucketClientOptions.builder("http://bb/?x=1").basicAuth("a", "b").build())
                .hasMessageContaining("query");
    }

    @Test
    void credentialsAreRequired() {
        assertThatThrownBy(() -> BitbucketClientOptions.builder("http://bb").build())
                .hasMessageContaining("system administrator");
        assertThatThrownBy(() -> BitbucketClientOptions.builder("http://bb").basicAuth(" ", "pw"))
                .hasMessageContaining("username");
    }

    @Test
    void timeoutsMustBePositive() {
        assertThatThrownBy(() -> BitbucketClientOptions.builder("http://bb").basicAuth("a", "b")
                .readTimeout(Duration.ZERO).build()).hasMessageContaining("read timeout");
    }
}
