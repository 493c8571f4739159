package dev.vernier.core.strategy.bayes;

import java.util.Arrays;

/**
 * The hyperparameters of an ARD Matérn-5/2 kernel with a noise term:
 * {@code k(x, x') = scale · m(r)}, {@code m(r) = (1 + √5 r + 5/3 r²) e^{-√5 r}},
 * {@code r² = Σ_j inverseSquaredLengthscales[j] (x_j - x'_j)²}, plus {@code noise} on the diagonal.
 * Optimised as {@code θ = (log λ_1..d, log scale, log(noise - MIN_NOISE))}.
 */
record KernelParameters(double[] inverseSquaredLengthscales, double scale, double noise) {
    /**
     * Noise variance floor, in units of the standardised objective's variance. The fit decides the
     * noise above it, so a noisy metric is unaffected; on a smooth deterministic objective the floor
     * is what limits how finely the model can refine (1e-6, Optuna's floor, left Hartmann-3 at 7e-6
     * regret after 50 jobs, 1e-8 at 1e-6; docs/benchmarks.md, seventh round). 1e-10 refined further
     * still, but brings the covariance of near-duplicate points closer to singular (a signal variance
     * up to 1e2 against 1e-10 on the diagonal); 1e-8 is the compromise.
     */
    static final double MIN_NOISE = 1e-8;
    static final double SQRT5 = Math.sqrt(5);
    /**
     * Noise variance cap, in units of the standardised objective's variance (noise sd at most ~10%
     * of the objective's spread). Without it, rugged but deterministic objectives (Ackley, Branin's
     * fine structure) were explained as noise and the model stopped refining; Optuna offers the
     * same switch as {@code deterministic_objective}, SageMaker has no such flag, so we cap instead.
     */
    static final double MAX_NOISE = 1e-2;

    KernelParameters {
        inverseSquaredLengthscales = inverseSquaredLengthscales.clone();
    }

    static KernelParameters initial(int dimensions) {
        double[] lambda = new double[dimensions];
        Arrays.fill(lambda, 1.0);
        return new KernelParameters(lambda, 1.0, 0.01);
    }

    int dimensions() {
        return inverseSquaredLengthscales.length;
    }

    double[] theta() {
        int d = dimensions();
        double[] t = new double[d + 2];
        for (int j = 0; j < d; j++) t[j] = Math.log(inverseSquaredLengthscales[j]);
        t[d] = Math.log(scale);
        t[d + 1] = Math.log(Math.max(noise - MIN_NOISE, 1e-12));
        return t;
    }

    static KernelParameters fromTheta(double[] t) {
        int d = t.length - 2;
        double[] lambda = new double[d];
        for (int j = 0; j < d; j++) lambda[j] = Math.exp(t[j]);
        return new KernelParameters(lambda, Math.exp(t[d]), MIN_NOISE + Math.exp(t[d + 1]));
    }

    /** Box for θ: lengthscales from ~0.01 to ~30 cube widths, scale 1e-2..1e2, noise up to {@link #MAX_NOISE}. */
    static double[][] thetaBounds(int d) {
        double[] lo = new double[d + 2];
        double[] hi = new double[d + 2];
        for (int j = 0; j < d; j++) {
            lo[j] = Math.log(1e-3);
            hi[j] = Math.log(1e4);
        }
        lo[d] = Math.log(1e-2);
        hi[d] = Math.log(1e2);
        lo[d + 1] = Math.log(1e-12);
        hi[d + 1] = Math.log(MAX_NOISE);
        return new double[][] {lo, hi};
    }

    double squaredDistance(double[] a, double[] b) {
        double r2 = 0;
        for (int j = 0; j < a.length; j++) {
            double diff = a[j] - b[j];
            r2 += inverseSquaredLengthscales[j] * diff * diff;
        }
        return r2;
    }

    /** Kernel value from a squared scaled distance. */
    double kernel(double r2) {
        double r = Math.sqrt(r2);
        return scale * (1 + SQRT5 * r + 5.0 / 3.0 * r2) * Math.exp(-SQRT5 * r);
    }

    /**
     * {@code -(5/3)·scale·(1 + √5 r) e^{-√5 r}}: the factor that turns {@code λ_j (x_j - x'_j)} into
     * {@code ∂k/∂x_j}, and {@code -½ λ_j (x_j - x'_j)²} into {@code ∂k/∂log λ_j}.
     */
    double kernelSlope(double r2) {
        double r = Math.sqrt(r2);
        return -5.0 / 3.0 * scale * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
    }

    /** Whether {@code θ} has the same shape (for warm starts from stored state). */
    boolean fits(int d) {
        return dimensions() == d;
    }

    String encode() {
        StringBuilder sb = new StringBuilder();
        for (double t : theta()) sb.append(sb.isEmpty() ? "" : ",").append(t);
        return sb.toString();
    }

    static KernelParameters decode(String s) {
        return fromTheta(Arrays.stream(s.split(",")).mapToDouble(Double::parseDouble).toArray());
    }
}
