package dev.vernier.core.strategy.bayes;

/**
 * Log expected improvement below {@code best} (targets are minimised), from a GP's posterior
 * of the latent function. Larger is better.
 */
class Acquisition {
    private final GaussianProcess gp;
    private final double best;

    Acquisition(GaussianProcess gp, double best) {
        this.gp = gp;
        this.best = best;
    }

    double value(double[] u) {
        double[] mv = gp.predict(u);
        double sigma = Math.sqrt(mv[1]);
        return Math.log(sigma) + LogExpectedImprovement.logH((best - mv[0]) / sigma);
    }

    /** Value, with its gradient in {@code u} written into {@code gradient}. */
    double value(double[] u, double[] gradient) {
        int d = u.length;
        double[] dMean = new double[d];
        double[] dVariance = new double[d];
        double[] mv = gp.predict(u, dMean, dVariance);
        double sigma = Math.sqrt(mv[1]);
        double z = (best - mv[0]) / sigma;
        double slope = LogExpectedImprovement.dLogH(z);
        // ∂/∂μ = -slope/σ ; ∂/∂σ = 1/σ - slope·z/σ ; ∂σ/∂u = ∂var/∂u / (2σ)
        double perSigma = (1 - slope * z) / sigma;
        for (int j = 0; j < d; j++)
            gradient[j] = -slope / sigma * dMean[j] + perSigma * dVariance[j] / (2 * sigma);
        return Math.log(sigma) + LogExpectedImprovement.logH(z);
    }
}
