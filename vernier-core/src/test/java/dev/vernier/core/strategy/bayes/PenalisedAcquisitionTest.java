package dev.vernier.core.strategy.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PenalisedAcquisitionTest {
    private static final KernelParameters PARAMS = new KernelParameters(new double[] {20, 20}, 1.0, 1e-4);
    private static final double[][] X = {{0.1, 0.1}, {0.9, 0.2}, {0.5, 0.5}, {0.2, 0.8}, {0.8, 0.9}};
    private static final double[] Y = {1.0, 0.5, -0.5, 0.8, 0.2};
    private static final GaussianProcess GP = GaussianProcess.condition(X, Y, PARAMS);
    private static final double BEST = -0.5;

    @Test
    void aPendingPointLowersTheAcquisitionAtItAndHardlyFarAway() {
        double[] pending = {0.35, 0.35};
        var plain = new Acquisition(GP, BEST);
        var penalised = new PenalisedAcquisition(GP, GP, BEST, List.of(pending), 3.0);
        assertThat(penalised.value(pending)).isLessThan(plain.value(pending) - 0.5);
        double[] far = {0.95, 0.6};
        assertThat(penalised.value(far)).isLessThanOrEqualTo(plain.value(far)).isGreaterThan(plain.value(far) - 0.05);
    }

    @Test
    void aPendingPointPredictedAtTheBestIsPenalisedLessThanAPoorOne() {
        double[] promising = {0.5, 0.5}; // observed at the best value
        double[] poor = {0.1, 0.1}; // observed at the worst value
        double[] nearPromising = {0.53, 0.5};
        double[] nearPoor = {0.13, 0.1};
        var plain = new Acquisition(GP, BEST);
        double lossNearPromising = plain.value(nearPromising)
                - new PenalisedAcquisition(GP, GP, BEST, List.of(promising), 3.0).value(nearPromising);
        double lossNearPoor = plain.value(nearPoor) - new PenalisedAcquisition(GP, GP, BEST, List.of(poor), 3.0).value(nearPoor);
        assertThat(lossNearPromising).isLessThan(lossNearPoor);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        var penalised = new PenalisedAcquisition(GP, GP, BEST, List.of(new double[] {0.35, 0.35}, new double[] {0.6, 0.7}), 3.0);
        double[] u = {0.42, 0.55};
        double[] g = new double[2];
        penalised.value(u, g);
        for (int j = 0; j < 2; j++) {
            double h = 1e-6;
            double[] up = u.clone();
            double[] down = u.clone();
            up[j] += h;
            down[j] -= h;
            double numeric = (penalised.value(up) - penalised.value(down)) / (2 * h);
            assertThat(g[j]).as("d/du%d", j).isCloseTo(numeric, within(1e-4 * Math.max(1, Math.abs(numeric))));
        }
    }

    @Test
    void theLipschitzEstimateIsTheSteepestSlopeOfTheMean() {
        double[] p = {0.3, 0.3};
        double[] dm = new double[2];
        GP.predict(p, dm, new double[2]);
        double one = PenalisedAcquisition.lipschitz(GP, List.of(p));
        assertThat(one).isCloseTo(Math.hypot(dm[0], dm[1]), within(1e-12));
        assertThat(PenalisedAcquisition.lipschitz(GP, List.of(X[0], X[1], p))).isGreaterThanOrEqualTo(one);
    }

    @Test
    void improvementIsMeasuredBelowAPendingPointBelievedBetterThanTheBest() {
        double best = 0.0;
        double[] pending = {0.5, 0.5}; // observed at -0.5: believed well below the best of 0
        double believed = GP.predict(pending)[0];
        assertThat(believed).isLessThan(best);
        // a huge Lipschitz constant shrinks the penaliser to nothing away from the pending point
        var penalised = new PenalisedAcquisition(GP, GP, best, List.of(pending), 1e6);
        double[] far = {0.9, 0.6};
        assertThat(penalised.value(far)).isCloseTo(new Acquisition(GP, believed).value(far), within(1e-9))
                .isLessThan(new Acquisition(GP, best).value(far));
    }
}
