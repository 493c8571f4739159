package dev.vernier.core.strategy.bayes;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Samples of the kernel parameters from their posterior (marginal likelihood times priors) by
 * coordinate-wise slice sampling in θ with stepping out (Neal 2003), started at the MAP fit, as
 * SageMaker's published design marginalises them.
 */
final class KernelSamples {
    private KernelSamples() {}

    static List<KernelParameters> draw(MarginalLikelihood likelihood, KernelParameters start, int count, int burnIn,
                                       SplittableRandom rng) {
        double[] theta = start.theta();
        double[][] bounds = KernelParameters.thetaBounds(start.dimensions());
        double[] scratch = new double[theta.length];
        double current = -likelihood.negativeLogPosterior(theta, scratch);
        List<KernelParameters> out = new ArrayList<>();
        for (int sweep = 0; sweep < burnIn + count; sweep++) {
            for (int j = 0; j < theta.length; j++) current = step(likelihood, theta, j, current, bounds, rng, scratch);
            if (sweep >= burnIn) out.add(KernelParameters.fromTheta(theta));
        }
        return out;
    }

    private static double step(MarginalLikelihood likelihood, double[] theta, int j, double current, double[][] bounds,
                               SplittableRandom rng, double[] scratch) {
        double width = 1.0;
        double level = current + Math.log(1 - rng.nextDouble()); // log of a uniform height under the density
        double x0 = theta[j];
        double left = x0 - width * rng.nextDouble();
        double right = left + width;
        for (int k = 0; k < 8 && left > bounds[0][j] && logDensity(likelihood, theta, j, left, scratch) > level; k++) left -= width;
        for (int k = 0; k < 8 && right < bounds[1][j] && logDensity(likelihood, theta, j, right, scratch) > level; k++) right += width;
        left = Math.max(left, bounds[0][j]);
        right = Math.min(right, bounds[1][j]);
        for (int k = 0; k < 30; k++) {
            double x = left + rng.nextDouble() * (right - left);
            double v = logDensity(likelihood, theta, j, x, scratch);
            if (v > level) {
                theta[j] = x;
                return v;
            }
            if (x < x0) left = x;
            else right = x;
        }
        theta[j] = x0;
        return current;
    }

    private static double logDensity(MarginalLikelihood likelihood, double[] theta, int j, double x, double[] scratch) {
        double keep = theta[j];
        theta[j] = x;
        double v = -likelihood.negativeLogPosterior(theta, scratch);
        theta[j] = keep;
        return Double.isFinite(v) ? v : Double.NEGATIVE_INFINITY;
    }
}
