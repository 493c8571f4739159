package dev.vernier.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MedianTest {
    @Test
    void theMedianAtEachStepIsOverTheRunningAveragesOfTheSeriesThatReachIt() {
        List<Double> median = TuningJobPages.medianOfRunningAverages(List.of(
                List.of(4.0, 2.0, 0.0), List.of(2.0, 2.0), List.of(6.0)));
        // step 1: averages 4, 2, 6 -> 4; step 2: 3, 2 -> 2.5; step 3: 2 -> 2
        assertThat(median).containsExactly(4.0, 2.5, 2.0);
    }

    @Test
    void noSeriesNoMedian() {
        assertThat(TuningJobPages.medianOfRunningAverages(List.of())).isEmpty();
    }
}
