package dev.vernier.core.strategy.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchExpectedImprovementTest {
    private static final KernelParameters PARAMS = new KernelParameters(new double[] {20, 20}, 1.0, 1e-4);
    private static final double[][] X = {{0.1, 0.1}, {0.9, 0.2}, {0.5, 0.5}, {0.2, 0.8}, {0.8, 0.9}};
    private static final double[] Y = {1.0, 0.5, -0.5, 0.8, 0.2};
    private static final GaussianProcess GP = GaussianProcess.condition(X, Y, PARAMS);
    private static final double BEST = -0.5;

    private static BatchExpectedImprovement batch(List<double[]> pending) {
        return new BatchExpectedImprovement(GP, BEST, pending, 64, new SplittableRandom(7));
    }

    @Test
    void aPendingPointLowersTheAcquisitionAtItAndHardlyFarAway() {
        double[] pending = {0.35, 0.35};
        var plain = new Acquisition(GP, BEST);
        var batch = batch(List.of(pending));
        assertThat(batch.value(pending)).isLessThan(plain.value(pending) - 0.5);
        double[] far = {0.95, 0.6};
        // far away only the chance that the pending job beats the best lowers it (a little)
        assertThat(batch.value(far)).isLessThanOrEqualTo(plain.value(far) + 1e-9).isGreaterThan(plain.value(far) - 0.2);
    }

    @Test
    void withAPendingPointFarAwayAndPoorItIsPlainLogExpectedImprovement() {
        double[] poor = {0.1, 0.12}; // next to the worst observation
        double[] u = {0.55, 0.6};
        assertThat(batch(List.of(poor)).value(u)).isCloseTo(new Acquisition(GP, BEST).value(u), within(1e-3));
    }

    @Test
    void theSameBaseSamplesGiveTheSameValues() {
        List<double[]> pending = List.of(new double[] {0.35, 0.35}, new double[] {0.6, 0.7});
        double[] u = {0.42, 0.55};
        assertThat(batch(pending).value(u)).isEqualTo(batch(pending).value(u));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        var batch = batch(List.of(new double[] {0.35, 0.35}, new double[] {0.6, 0.7}, new double[] {0.5, 0.45}));
        for (double[] u : new double[][] {{0.42, 0.55}, {0.52, 0.47}, {0.3, 0.9}}) {
            double[] g = new double[2];
            double v = batch.value(u, g);
            assertThat(v).isCloseTo(batch.value(u), within(1e-12));
            for (int j = 0; j < 2; j++) {
                double h = 1e-6;
                double[] up = u.clone();
                double[] down = u.clone();
                up[j] += h;
                down[j] -= h;
                double numeric = (batch.value(up) - batch.value(down)) / (2 * h);
                assertThat(g[j]).as("d/du%d", j).isCloseTo(numeric, within(1e-4 * Math.max(1, Math.abs(numeric))));
            }
        }
    }

    @Test
    void crossCovarianceGradientMatchesFiniteDifferences() {
        double[][] fixed = {{0.35, 0.35}, {0.6, 0.7}};
        double[][] w = {GP.weights(fixed[0]), GP.weights(fixed[1])};
        double[] u = {0.42, 0.55};
        double[][] g = new double[2][2];
        double[] c = GP.covariance(u, fixed, w, g);
        assertThat(GP.covariance(fixed[0], fixed, w, null)[0]).isCloseTo(GP.predict(fixed[0])[1], within(1e-9));
        for (int l = 0; l < 2; l++) {
            double h = 1e-6;
            double[] up = u.clone();
            double[] down = u.clone();
            up[l] += h;
            down[l] -= h;
            double[] cu = GP.covariance(up, fixed, w, null);
            double[] cd = GP.covariance(down, fixed, w, null);
            for (int j = 0; j < 2; j++) assertThat(g[j][l]).isCloseTo((cu[j] - cd[j]) / (2 * h), within(1e-6));
        }
        assertThat(c).hasSize(2);
    }
}
