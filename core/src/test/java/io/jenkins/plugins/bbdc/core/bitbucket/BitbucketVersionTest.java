package io.jenkins.plugins.bbdc.core.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BitbucketVersionTest {

    @ParameterizedTest
    @CsvSource({
            "8.19.1, 8, 19, 1, ",
            "9.4.3, 9, 4, 3, ",
            "10.0, 10, 0, 0, ",
            "' 7.21.0 ', 7, 21, 0, ",
            "8.19.1-rc1, 8, 19, 1, rc1",
            "9.0.0-m2.1, 9, 0, 0, m2.1",
            "8.9.10.20240101, 8, 9, 10, 20240101"
    })
    void parsesReleaseNumbers(String text, int major, int minor, int patch, String qualifier) {
        BitbucketVersion v = BitbucketVersion.parse(text);
        assertThat(v.major()).isEqualTo(major);
        assertThat(v.minor()).isEqualTo(minor);
        assertThat(v.patch()).isEqualTo(patch);
        assertThat(v.qualifier()).isEqualTo(qualifier);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "8", "v8.19.1", "eight.nineteen", "8.19.1 beta", "8..1", "latest"})
    void refusesWhatIsNotAVersionAndShowsTheText(String text) {
        assertThatThrownBy(() -> BitbucketVersion.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("major.minor.patch");
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> BitbucketVersion.parse(null)).hasMessageContaining("no Bitbucket version");
    }

    @Test
    void ordersNumericallyNotAlphabetically() {
        List<BitbucketVersion> versions = new ArrayList<>(List.of(BitbucketVersion.parse("8.19.10"),
                BitbucketVersion.parse("8.9.2"), BitbucketVersion.parse("10.0.0"), BitbucketVersion.parse("8.19.2"),
                BitbucketVersion.parse("9.4.0")));
        Collections.sort(versions);
        assertThat(versions).extracting(BitbucketVersion::toString)
                .containsExactly("8.9.2", "8.19.2", "8.19.10", "9.4.0", "10.0.0");
    }

    @Test
    void aQualifiedReleaseSortsBeforeThePlainRelease() {
        assertThat(BitbucketVersion.parse("8.19.2-rc1")).isLessThan(BitbucketVersion.parse("8.19.2"));
        assertThat(BitbucketVersion.parse("8.19.2-rc1")).isGreaterThan(BitbucketVersion.parse("8.19.1"));
        assertThat(BitbucketVersion.parse("8.19.2-rc1")).isLessThan(BitbucketVersion.parse("8.19.2-rc2"));
    }

    @Test
    void printsWithThreeParts() {
        assertThat(BitbucketVersion.parse("10.0")).hasToString("10.0.0");
        assertThat(BitbucketVersion.parse("8.19.1-rc1")).hasToString("8.19.1-rc1");
    }

    @ParameterizedTest
    @CsvSource({"8.19.1, 8.19.2", "8.19.1, 8.19.14", "9.4.0, 9.4.3", "8.19.2-rc1, 8.19.2"})
    void allowsARollingUpgradeToAHigherBugFixOfTheSameFeatureLine(String from, String to) {
        assertThat(BitbucketVersion.parse(from).rollingUpgradeRefusal(BitbucketVersion.parse(to))).isNull();
    }

    @Test
    void refusesAFeatureUpgradeAndSaysWhatToDoInstead() {
        String why = BitbucketVersion.parse("8.19.1").rollingUpgradeRefusal(BitbucketVersion.parse("8.20.0"));
        assertThat(why).contains("8.19.x").contains("feature upgrade").contains("downtime");
    }

    @Test
    void refusesAMajorUpgrade() {
        String why = BitbucketVersion.parse("8.19.5").rollingUpgradeRefusal(BitbucketVersion.parse("9.0.0"));
        assertThat(why).contains("major upgrade").contains("8.19.5").contains("9.0.0");
    }

    @ParameterizedTest
    @CsvSource({"8.19.2, 8.19.2", "8.19.2, 8.19.1", "8.19.2, 8.19.2-rc1"})
    void refusesTheSameOrALowerVersion(String from, String to) {
        String why = BitbucketVersion.parse(from).rollingUpgradeRefusal(BitbucketVersion.parse(to));
        assertThat(why).contains("not newer");
    }

    @Test
    void refusesADowngradeToAnotherFeatureLineAsADowngrade() {
        String why = BitbucketVersion.parse("8.19.2").rollingUpgradeRefusal(BitbucketVersion.parse("8.18.9"));
        assertThat(why).contains("older than the running version").contains("restore a backup");
    }

    @Test
    void atLeastComparesMajorAndMinor() {
        BitbucketVersion v = BitbucketVersion.parse("8.19.1");
        assertThat(v.atLeast(4, 8)).isTrue();
        assertThat(v.atLeast(8, 19)).isTrue();
        assertThat(v.atLeast(8, 20)).isFalse();
        assertThat(v.atLeast(9, 0)).isFalse();
        assertThat(BitbucketVersion.parse("10.0.0").atLeast(9, 99)).isTrue();
    }

    @Test
    void sameFeatureLineIgnoresPatchAndQualifier() {
        assertThat(BitbucketVersion.parse("8.19.1").sameFeatureLine(BitbucketVersion.parse("8.19.9-rc1"))).isTrue();
        assertThat(BitbucketVersion.parse("8.19.1").sameFeatureLine(BitbucketVersion.parse("8.1.19"))).isFalse();
    }
}
