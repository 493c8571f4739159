package dev.vernier.core.strategy.bayes;

/**
 * TuRBO's trust region (Eriksson et al. 2019), carried from call to call in the strategy's state:
 * a box around the best success whose side {@code length} (in the unit cube, stretched per
 * dimension by the kernel's lengthscales) doubles after {@value #SUCCESS_TOLERANCE} improving
 * results in a row and halves after {@code max(4, d)} results in a row that did not improve; below
 * {@value #MIN_LENGTH} it starts again at {@value #INITIAL_LENGTH}. Results are counted one by one
 * as they arrive (asynchronous workers), in the order they are first seen.
 *
 * @param length    side of the box before stretching
 * @param successes improving results in a row
 * @param failures  non-improving results in a row
 * @param counted   successes already counted
 * @param best      best (minimised) objective among the counted successes
 */
record TrustRegion(double length, int successes, int failures, int counted, double best) {
    static final double INITIAL_LENGTH = 0.8;
    static final double MAX_LENGTH = 1.6;
    static final double MIN_LENGTH = 0.5 / 128;
    static final int SUCCESS_TOLERANCE = 3;

    static TrustRegion initial() {
        return new TrustRegion(INITIAL_LENGTH, 0, 0, 0, Double.POSITIVE_INFINITY);
    }

    /** The region after counting the successes {@code values[counted..]} (in arrival order) in {@code d} dimensions. */
    TrustRegion update(double[] values, int d) {
        double len = length;
        int succ = successes;
        int fail = failures;
        double b = best;
        int failureTolerance = Math.max(4, d) * Integer.getInteger("vernier.bayes.trFail", 1);
        for (int i = counted; i < values.length; i++) {
            double v = values[i];
            if (v < b - 1e-3 * Math.abs(b)) {
                succ++;
                fail = 0;
            } else {
                fail++;
                succ = 0;
            }
            b = Math.min(b, v);
            if (succ >= SUCCESS_TOLERANCE) {
                len = Math.min(2 * len, MAX_LENGTH);
                succ = 0;
            } else if (fail >= failureTolerance) {
                len /= 2;
                fail = 0;
            }
            if (len < MIN_LENGTH) len = INITIAL_LENGTH;
        }
        return new TrustRegion(len, succ, fail, Math.max(counted, values.length), b);
    }

    /**
     * The box {@code {lo, hi}} around {@code centre}: half-width {@code length/2} stretched by each
     * dimension's lengthscale relative to their geometric mean, clipped to the unit cube.
     */
    double[][] box(double[] centre, KernelParameters params) {
        double[] lambda = params.inverseSquaredLengthscales();
        int d = centre.length;
        double logMean = 0;
        for (double l : lambda) logMean += -0.5 * Math.log(l);
        logMean /= d;
        double[] lo = new double[d];
        double[] hi = new double[d];
        for (int j = 0; j < d; j++) {
            double w = Math.exp(-0.5 * Math.log(lambda[j]) - logMean);
            lo[j] = Math.max(0, centre[j] - w * length / 2);
            hi[j] = Math.min(1, centre[j] + w * length / 2);
        }
        return new double[][] {lo, hi};
    }

    String encode() {
        return length + "," + successes + "," + failures + "," + counted + "," + best;
    }

    static TrustRegion decode(String s) {
        String[] p = s.split(",");
        return new TrustRegion(Double.parseDouble(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                Integer.parseInt(p[3]), Double.parseDouble(p[4]));
    }
}
