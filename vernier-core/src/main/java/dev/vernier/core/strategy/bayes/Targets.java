package dev.vernier.core.strategy.bayes;

import java.util.Arrays;

/**
 * Objective values as the GP sees them: oriented so that smaller is better, then standardised
 * to mean 0 and deviation 1. When the values have a heavy upper tail (the spread above the
 * median more than five times the spread below it, as with Rosenbrock-like objectives), they are
 * first mapped through {@code log(y - min + c)} with {@code c} the lower spread, so that a few
 * very bad points do not flatten the model where the good points are.
 */
final class Targets {
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
