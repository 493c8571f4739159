package dev.vernier.core.strategy.bayes;

/**
 * log E[max(0, z + X)] for standard normal X, i.e. {@code log(z Φ(z) + φ(z))}, and its derivative,
 * in a form that stays finite far into the tail (where EI itself underflows to zero), after
 * Ament et al., "Unexpected improvements to expected improvement" (2023). Expected improvement
 * of a minimisation is then {@code log σ + logH((best - μ) / σ)}.
 */
final class LogExpectedImprovement {
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    /** Below this the direct formula loses digits to cancellation; a continued fraction takes over. */
    private static final double TAIL = -5;

    private LogExpectedImprovement() {}

    /** {@code log h(z)} with {@code h(z) = z Φ(z) + φ(z)}. */
    static double logH(double z) {
        if (z >= TAIL) return Math.log(z * cdf(z) + pdf(z));
        double t = -z;
        // h(z) = φ(t) (1 - t R(t)) with Mills ratio R(t) = 1 / (t + 1/f1), so 1 - t R = 1 / (t f1 + 1)
        double f1 = millsTail(t, 2);
        return -0.5 * t * t - LOG_SQRT_2PI - Math.log(t * f1 + 1);
    }

    /** {@code d/dz log h(z) = Φ(z) / h(z)}. */
    static double dLogH(double z) {
        if (z >= TAIL) return cdf(z) / (z * cdf(z) + pdf(z));
        return millsTail(-z, 2);
    }

    /** {@code log Φ(z)}, finite far into the lower tail. */
    static double logCdf(double z) {
        if (z < -5) return -0.5 * z * z - LOG_SQRT_2PI - Math.log(millsTail(-z, 1));
        return Math.log(cdf(z));
    }

    /** {@code d/dz log Φ(z) = φ(z) / Φ(z)}. */
    static double dLogCdf(double z) {
        if (z < -5) return millsTail(-z, 1);
        return pdf(z) / cdf(z);
    }

    static double pdf(double z) {
        return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
    }

    /** The standard normal distribution function, accurate to ~1e-13 relative in both tails used here. */
    static double cdf(double z) {
        if (z < -5) return pdf(z) / millsTail(-z, 1);
        if (z > 5) return 1 - pdf(z) / millsTail(z, 1);
        double x = Math.abs(z) / Math.sqrt(2);
        double erf = erfSeries(x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    /** erf by the all-positive series {@code 2/√π e^{-x²} Σ 2^k x^{2k+1} / (2k+1)!!}; for {@code 0 <= x < 4}. */
    private static double erfSeries(double x) {
        double term = x;
        double sum = x;
        for (int k = 1; k < 200; k++) {
            term *= 2 * x * x / (2 * k + 1);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
    }

    /**
     * The continued fraction {@code t + k/(t + (k+1)/(t + ...))} evaluated backwards; with
     * {@code k = 1} it is {@code 1/R(t)}, the reciprocal Mills ratio. Converges fast for {@code t >= 5}.
     */
    private static double millsTail(double t, int k) {
        double f = t;
        for (int j = 120; j >= k; j--) f = t + j / f;
        return f;
    }
}
