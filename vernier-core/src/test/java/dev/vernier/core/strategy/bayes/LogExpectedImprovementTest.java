package dev.vernier.core.strategy.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogExpectedImprovementTest {
    @Test
    void normalDistributionFunctionMatchesReferenceValues() {
        assertThat(LogExpectedImprovement.cdf(0)).isCloseTo(0.5, within(1e-15));
        assertThat(LogExpectedImprovement.cdf(-1)).isCloseTo(0.15865525393145707, within(1e-14));
        assertThat(LogExpectedImprovement.cdf(1.96)).isCloseTo(0.9750021048517795, within(1e-14));
        assertThat(LogExpectedImprovement.cdf(-5) / 2.866515718791939e-07).isCloseTo(1, within(1e-9));
        assertThat(LogExpectedImprovement.cdf(-10) / 7.619853024160527e-24).isCloseTo(1, within(1e-9));
    }

    @Test
    void logOfExpectedImprovementIsContinuousAcrossTheTailSwitchAndFiniteFarOut() {
        double h = 1e-7;
        assertThat(LogExpectedImprovement.logH(-5 - h)).isCloseTo(LogExpectedImprovement.logH(-5 + h), within(1e-5));
        assertThat(LogExpectedImprovement.dLogH(-5 - h)).isCloseTo(LogExpectedImprovement.dLogH(-5 + h), within(1e-5));
        assertThat(LogExpectedImprovement.logH(0)).isCloseTo(Math.log(1 / Math.sqrt(2 * Math.PI)), within(1e-14));
        // far in the tail h(z) ≈ φ(z)/z², so log h ≈ -z²/2 - log √(2π) - 2 log |z|
        double z = -1000;
        assertThat(LogExpectedImprovement.logH(z)).isCloseTo(-z * z / 2 - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z), within(1e-5));
        assertThat(LogExpectedImprovement.dLogH(z)).isCloseTo(-z, within(0.01));
    }

    @Test
    void derivativeMatchesFiniteDifferences() {
        for (double z : new double[] {-30, -7, -4, -1, 0, 2, 6}) {
            double h = 1e-4;
            double fd = (LogExpectedImprovement.logH(z + h) - LogExpectedImprovement.logH(z - h)) / (2 * h);
            assertThat(LogExpectedImprovement.dLogH(z)).as("z=%s", z).isCloseTo(fd, within(1e-5 * Math.max(1, Math.abs(fd))));
        }
    }
}
