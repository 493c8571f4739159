package dev.vernier.core.earlystopping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.strategy.Goal;
import java.util.List;
import org.junit.jupiter.api.Test;

class MedianStoppingRuleTest {
    private final MedianStoppingRule rule = new MedianStoppingRule(3, 2);
    // running averages at step 2: 4.5, 3.5, 2.5 -> median 3.5
    private final List<List<Double>> finished = List.of(List.of(5.0, 4.0, 3.0), List.of(4.0, 3.0, 2.0), List.of(3.0, 2.0, 1.0));

    @Test
    void aJobWorseThanTheMedianOfRunningAveragesStops() {
        assertThat(rule.judge(Goal.MINIMIZE, List.of(3.0, 3.6), finished).stop()).isTrue();
        assertThat(rule.judge(Goal.MINIMIZE, List.of(9.0, 3.4), finished).stop()).isFalse();
    }

    @Test
    void itComparesTheCurrentValueNotTheJobsOwnAverage() {
        // the job's own average (6.7) is far worse than 3.5, but its value at step 2 is better
        assertThat(rule.judge(Goal.MINIMIZE, List.of(10.0, 3.4), finished).stop()).isFalse();
    }

    @Test
    void maximizingStopsJobsBelowTheMedian() {
        assertThat(rule.judge(Goal.MAXIMIZE, List.of(1.0, 3.0), finished).stop()).isTrue();
        assertThat(rule.judge(Goal.MAXIMIZE, List.of(1.0, 3.6), finished).stop()).isFalse();
    }

    @Test
    void noDecisionBeforeTheMinimumStepOrWithTooFewFinishedJobsAtThatStep() {
        assertThat(rule.judge(Goal.MINIMIZE, List.of(100.0), finished).stop()).isFalse();
        // only two finished jobs reached step 4
        List<List<Double>> shorter = List.of(List.of(5.0, 4.0, 3.0, 2.0), List.of(4.0, 3.0, 2.0, 1.0), List.of(1.0, 1.0, 1.0));
        assertThat(rule.judge(Goal.MINIMIZE, List.of(9.0, 9.0, 9.0, 9.0), shorter).stop()).isFalse();
        assertThat(rule.judge(Goal.MINIMIZE, List.of(9.0, 9.0, 9.0), shorter).stop()).isTrue();
    }

    @Test
    void theDefaultsAreKatibsMedianStopDefaults() {
        assertThat(MedianStoppingRule.defaults()).isEqualTo(new MedianStoppingRule(3, 4));
    }
}
