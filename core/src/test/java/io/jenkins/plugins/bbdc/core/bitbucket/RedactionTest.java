package io.jenkins.plugins.bbdc.core.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class RedactionTest {
    private static final String UNLOCK = "3b8e1f0a9c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f";

    @Test
    void tokenQueryValuesAreMaskedOtherParametersKept() {
        HttpUrl url = HttpUrl.get("http://bb:7990/bitbucket/mvc/admin/backups/progress/client?token=" + UNLOCK
                + "&percentage=50");
        String shown = Redaction.url(url);
        assertThat(shown).doesNotContain(UNLOCK).contains("token=****").contains("percentage=50")
                .startsWith("http://bb:7990/bitbucket/mvc/admin/backups/progress/client");
    }

    @Test
    void userInfoIsRemoved() {
        assertThat(Redaction.url(HttpUrl.get("http://admin:s3cret@bb:7990/rest/zdu/cluster")))
                .isEqualTo("http://bb:7990/rest/zdu/cluster");
    }

    @Test
    void callDescriptionMasksTheMaintenanceHeader() {
        HttpCall call = HttpCall.get(HttpUrl.get("http://bb:7990/mvc/maintenance"), "poll").withMaintenanceToken(UNLOCK);
        assertThat(call.describe()).isEqualTo("GET http://bb:7990/mvc/maintenance [X-Atlassian-Maintenance-Token: ****]");
        HttpCall unlock = HttpCall.delete(HttpUrl.get("http://bb:7990/mvc/maintenance/lock?token=" + UNLOCK), "x");
        assertThat(unlock.describe()).doesNotContain(UNLOCK).contains("token=****");
        assertThat(unlock.carriesMaintenanceToken()).isTrue();
    }

    @Test
    void serverTextLosesKnownSecretsAndTokenShapes() {
        String said = Redaction.text("Invalid token " + UNLOCK + " for user admin with password hunter2xyz; see"
                + " /mvc/maintenance?token=abc&x=1", List.of("hunter2xyz"));
        assertThat(said).doesNotContain(UNLOCK).doesNotContain("hunter2xyz").doesNotContain("token=abc")
                .contains("Invalid token").contains("user admin");
    }

    @Test
    void ordinaryWordsSurvive() {
        assertThat(Redaction.text("Rolling upgrades feature requires a clustered installation.", List.of()))
                .isEqualTo("Rolling upgrades feature requires a clustered installation.");
    }

    @Test
    void longTextIsCut() {
        assertThat(Redaction.text("word ".repeat(100), List.of())).hasSizeLessThanOrEqualTo(201);
    }

    @Test
    void hintsDoNotChangeTheDescription() {
        HttpCall c = HttpCall.post(HttpUrl.get("http://bb/mvc/maintenance/lock"), "lock").hint(409, "held");
        assertThat(c.hints()).isEqualTo(Map.of(409, "held"));
        assertThat(c.idempotent()).isFalse();
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        assertThat(BitbucketCredentials.basic("admin", "hunter2xyz").toString()).doesNotContain("hunter2xyz")
                .contains("admin");
        assertThat(BitbucketCredentials.bearer("NjQ2ODc0MzY2OTk4OnR3")).asString().doesNotContain("NjQ2ODc0MzY2OTk4OnR3");
        BitbucketClientOptions o = BitbucketClientOptions.builder("http://bb:7990").basicAuth("admin", "hunter2xyz")
                .build();
        assertThat(o.toString()).doesNotContain("hunter2xyz");
    }
}
