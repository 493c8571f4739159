package dev.vernier.core.strategy.bayes;

import java.util.Arrays;

/**
 * Objective values as the GP sees them: oriented so that smaller is better, standardised to
 * deviation 1, and shifted so that the GP's prior mean (zero) sits at the 90th percentile of the
 * values ({@link #PRIOR_MEAN_QUANTILE}): a pessimistic prior mean. Far from the data the
 * posterior falls back to the prior, and with a prior mean at the average a large prior variance
 * made expected improvement favour the box's faces and corners, where the variance is highest
 * (boundary over-exploration): late in a 6-D run a third of the jobs went there. With the prior
 * mean among the worse values, unexplored space has to be promising through its uncertainty alone.
 * The 90th percentile, not the maximum, so that one outlier does not set it. When the values have a heavy upper tail (the spread above the
 * median more than five times the spread below it, as with Rosenbrock-like objectives), they are
 * first mapped through {@code log(y - min + c)} with {@code c} the lower spread, so that a few
 * very bad points do not flatten the model where the good points are.
 */
final class Targets {
    /** Where among the observed values the prior mean sits (0.75, 0.9 and 1 were measured; see docs/benchmarks.md). */
    static final double PRIOR_MEAN_QUANTILE = 0.9;

    private Targets() {}

    static double[] transform(double[] minimised) {
        double[] y = minimised.clone();
        if (heavyUpperTail(y)) {
            double[] sorted = y.clone();
            Arrays.sort(sorted);
            double min = sorted[0];
            double c = Math.max(quantile(sorted, 0.5) - min, 1e-12 * Math.max(1, Math.abs(min)));
            for (int i = 0; i < y.length; i++) y[i] = Math.log(y[i] - min + c);
        }
        double mean = 0;
        for (double v : y) mean += v;
        mean /= y.length;
        double var = 0;
        for (double v : y) var += (v - mean) * (v - mean);
        double sd = Math.sqrt(var / y.length);
        if (!(sd > 1e-12)) sd = 1;
        for (int i = 0; i < y.length; i++) y[i] = (y[i] - mean) / sd;
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        double priorMean = quantile(sorted, PRIOR_MEAN_QUANTILE);
        for (int i = 0; i < y.length; i++) y[i] -= priorMean;
        return y;
    }

    static boolean heavyUpperTail(double[] y) {
        if (y.length < 4) return false;
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        double median = quantile(sorted, 0.5);
        double below = median - sorted[0];
        double above = sorted[sorted.length - 1] - median;
        return above > 5 * below && above > 0;
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }
}
