package io.jenkins.plugins.bbdc.core.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void backoffDoublesUpToTheCapWithoutJitter() {
        RetryPolicy p = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofMillis(500), 0);
        Random r = new Random(1);
        assertThat(p.backoff(1, r)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.backoff(2, r)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.backoff(3, r)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.backoff(4, r)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.backoff(60, r)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void jitterStaysWithinItsFraction() {
        RetryPolicy p = new RetryPolicy(3, Duration.ofMillis(1000), Duration.ofSeconds(10), 0.25);
        Random r = new Random(42);
        boolean varied = false;
        for (int i = 0; i < 200; i++) {
            long ms = p.backoff(1, r).toMillis();
            assertThat(ms).isBetween(750L, 1250L);
            varied |= ms != 1000;
        }
        assertThat(varied).isTrue();
    }

    @Test
    void invalidSettingsAreExplained() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofMillis(-1), Duration.ZERO, 0))
                .hasMessageContaining("backoff");
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ZERO, Duration.ZERO, 1.5)).hasMessageContaining("jitter");
    }
}
