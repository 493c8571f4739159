package dev.vernier.core.strategy.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianProcessTest {
    private static final KernelParameters UNIT = new KernelParameters(new double[] {1.0}, 1.0, 0.01);

    private static double matern(double r) {
        return (1 + Math.sqrt(5) * r + 5.0 / 3 * r * r) * Math.exp(-Math.sqrt(5) * r);
    }

    @Test
    void posteriorOfOnePointMatchesTheTextbookFormula() {
        GaussianProcess gp = GaussianProcess.condition(new double[][] {{0.0}}, new double[] {2.0}, UNIT);
        // at the point: mean = k/(k+noise)·y, variance = k - k²/(k+noise) with k = 1
        assertThat(gp.predict(new double[] {0.0})[0]).isCloseTo(2.0 / 1.01, within(1e-12));
        assertThat(gp.predict(new double[] {0.0})[1]).isCloseTo(1 - 1 / 1.01, within(1e-12));
        // half a lengthscale away: k = m(0.5)
        double k = matern(0.5);
        // (1 + √5/2 + 5/12) e^{-√5/2} = 2.5347010 × 0.3269202
        assertThat(k).isCloseTo(0.82864914, within(1e-8));
        assertThat(gp.predict(new double[] {0.5})[0]).isCloseTo(k * 2.0 / 1.01, within(1e-12));
        assertThat(gp.predict(new double[] {0.5})[1]).isCloseTo(1 - k * k / 1.01, within(1e-12));
    }

    @Test
    void posteriorOfTwoPointsMatchesASolvedTwoByTwoSystem() {
        GaussianProcess gp = GaussianProcess.condition(new double[][] {{0.0}, {1.0}}, new double[] {1.0, -1.0}, UNIT);
        double k01 = matern(1.0);
        double a = 1.01;
        double det = a * a - k01 * k01;
        // alpha = K^{-1} y for K = [[a, k01], [k01, a]]
        double alpha0 = (a * 1 - k01 * -1) / det;
        double alpha1 = (-k01 * 1 + a * -1) / det;
        double kx0 = matern(0.25);
        double kx1 = matern(0.75);
        double mean = kx0 * alpha0 + kx1 * alpha1;
        double quad = (a * kx0 * kx0 - 2 * k01 * kx0 * kx1 + a * kx1 * kx1) / det;
        double[] mv = gp.predict(new double[] {0.25});
        assertThat(mv[0]).isCloseTo(mean, within(1e-12));
        assertThat(mv[1]).isCloseTo(1 - quad, within(1e-12));
    }

    @Test
    void meanAndVarianceGradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(3);
        double[][] x = new double[12][3];
        double[] y = new double[12];
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 3; j++) x[i][j] = rng.nextDouble();
            y[i] = Math.sin(5 * x[i][0]) + x[i][1] * x[i][2];
        }
        KernelParameters p = new KernelParameters(new double[] {4, 9, 2.5}, 1.3, 1e-4);
        GaussianProcess gp = GaussianProcess.condition(x, y, p);
        double[] point = {0.3, 0.6, 0.45};
        double[] dMean = new double[3];
        double[] dVar = new double[3];
        gp.predict(point, dMean, dVar);
        for (int j = 0; j < 3; j++) {
            double h = 1e-6;
            double[] up = point.clone();
            double[] down = point.clone();
            up[j] += h;
            down[j] -= h;
            assertThat(dMean[j]).isCloseTo((gp.predict(up)[0] - gp.predict(down)[0]) / (2 * h), within(1e-5));
            assertThat(dVar[j]).isCloseTo((gp.predict(up)[1] - gp.predict(down)[1]) / (2 * h), within(1e-5));
        }
        Acquisition acquisition = new Acquisition(gp, -1.0);
        double[] g = new double[3];
        acquisition.value(point, g);
        for (int j = 0; j < 3; j++) {
            double h = 1e-6;
            double[] up = point.clone();
            double[] down = point.clone();
            up[j] += h;
            down[j] -= h;
            double fd = (acquisition.value(up) - acquisition.value(down)) / (2 * h);
            assertThat(g[j]).isCloseTo(fd, within(1e-5 * Math.max(1, Math.abs(fd))));
        }
    }

    @Test
    void marginalLikelihoodGradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(5);
        double[][] x = new double[15][2];
        double[] y = new double[15];
        for (int i = 0; i < 15; i++) {
            x[i][0] = rng.nextDouble();
            x[i][1] = rng.nextDouble();
            y[i] = Math.cos(4 * x[i][0]) - x[i][1] + 0.01 * rng.nextDouble();
        }
        MarginalLikelihood ml = new MarginalLikelihood(x, y);
        double[] theta = {Math.log(3), Math.log(0.5), Math.log(0.8), Math.log(1e-3)};
        double[] g = new double[4];
        ml.negativeLogPosterior(theta, g);
        for (int j = 0; j < 4; j++) {
            double h = 1e-5;
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[j] += h;
            down[j] -= h;
            double fd = (ml.negativeLogPosterior(up, new double[4]) - ml.negativeLogPosterior(down, new double[4])) / (2 * h);
            assertThat(g[j]).as("θ[%d]", j).isCloseTo(fd, within(1e-4 * Math.max(1, Math.abs(fd))));
        }
    }

    @Test
    void fittingRecoversAShortLengthscaleForAWigglyFunction() {
        double[][] x = new double[30][1];
        double[] y = new double[30];
        for (int i = 0; i < 30; i++) {
            x[i][0] = i / 29.0;
            y[i] = Math.sin(12 * x[i][0]);
        }
        KernelParameters fitted = new MarginalLikelihood(x, Targets.transform(y))
                .fit(java.util.List.of(KernelParameters.initial(1)), 200);
        assertThat(fitted.inverseSquaredLengthscales()[0]).isGreaterThan(4);
        assertThat(fitted.noise()).isLessThan(0.01);
    }
}
