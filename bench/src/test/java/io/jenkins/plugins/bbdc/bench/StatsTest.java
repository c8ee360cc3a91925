package io.jenkins.plugins.bbdc.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatsTest {

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddlePair() {
        Stats s = new Stats();
        for (double v : new double[] {9, 1, 3, 7}) {
            s.add(v);
        }
        assertThat(s.median()).isEqualTo(5.0);
        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.max()).isEqualTo(9.0);
    }

    @Test
    void percentileUsesTheNearestRank() {
        Stats s = new Stats();
        for (int i = 1; i <= 10; i++) {
            s.add(i);
        }
        assertThat(s.percentile(90)).isEqualTo(9.0);
        assertThat(s.percentile(100)).isEqualTo(10.0);
        assertThat(new Stats().median()).isNaN();
    }

    @Test
    void tableRendersMarkdownWithNotes() {
        String md = new Table("T", "a", "b").row("x", 1.5).note("n").render();
        assertThat(md).contains("| a | b |", "|---|---|", "| x | 1.50 |", "- n");
    }
}
