package dev.vernier.core.strategy.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TargetsTest {
    @Test
    void thePriorMeanSitsAtTheNinetiethPercentileOfTheValues() {
        double[] y = Targets.transform(new double[] {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5});
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        // 11 values: the 90th percentile is the 10th smallest (index 9); the prior mean 0 sits there
        assertThat(sorted[9]).isCloseTo(0, within(1e-12));
        assertThat(Arrays.stream(y).filter(v -> v > 0).count()).isEqualTo(1);
    }

    @Test
    void valuesKeepTheirOrderAndAUnitDeviation() {
        double[] raw = {0.5, 2.0, 1.0, 3.0, 2.5};
        double[] y = Targets.transform(raw);
        double mean = Arrays.stream(y).average().orElseThrow();
        double var = Arrays.stream(y).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        assertThat(var).isCloseTo(1, within(1e-12));
        for (int i = 0; i < raw.length; i++)
            for (int j = 0; j < raw.length; j++) if (raw[i] < raw[j]) assertThat(y[i]).isLessThan(y[j]);
    }
}
