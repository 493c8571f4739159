package dev.vernier.core.strategy.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PosteriorSampleTest {
    private static final KernelParameters PARAMS = new KernelParameters(new double[] {20, 5}, 1.5, 1e-4);
    private static final double[][] X = {{0.1, 0.1}, {0.9, 0.2}, {0.5, 0.5}, {0.2, 0.8}, {0.8, 0.9}};
    private static final double[] Y = {1.0, 0.5, -0.5, 0.8, 0.2};
    private static final GaussianProcess GP = GaussianProcess.condition(X, Y, PARAMS);

    @Test
    void samplesHaveThePosteriorMeanAndVariance() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] u = {0.35, 0.6};
        int draws = 2000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < draws; i++) {
            double f = new PosteriorSample(GP, Y, 512, rng).sample(u, null);
            sum += f;
            sumSq += f * f;
        }
        double mean = sum / draws;
        double variance = sumSq / draws - mean * mean;
        double[] mv = GP.predict(u);
        assertThat(mean).isCloseTo(mv[0], within(4 * Math.sqrt(mv[1] / draws) + 0.02));
        assertThat(variance).isCloseTo(mv[1], within(0.15 * mv[1]));
    }

    @Test
    void aSamplePassesCloseToTheObservations() {
        PosteriorSample s = new PosteriorSample(GP, Y, 1024, new SplittableRandom(5));
        for (int i = 0; i < X.length; i++) assertThat(s.sample(X[i], null)).isCloseTo(Y[i], within(0.05));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        PosteriorSample s = new PosteriorSample(GP, Y, 256, new SplittableRandom(9));
        double[] u = {0.42, 0.55};
        double[] g = new double[2];
        s.value(u, g);
        for (int j = 0; j < 2; j++) {
            double h = 1e-6;
            double[] up = u.clone();
            double[] down = u.clone();
            up[j] += h;
            down[j] -= h;
            double numeric = (s.value(up) - s.value(down)) / (2 * h);
            assertThat(g[j]).isCloseTo(numeric, within(1e-4 * Math.max(1, Math.abs(numeric))));
        }
    }
}
