package dev.vernier.core.strategy.bayes;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The log posterior of kernel parameters: Gaussian log marginal likelihood of standardised
 * targets plus the priors Optuna's GP uses ({@code -(0.1/λ + 0.1 λ)} per inverse squared
 * lengthscale, Gamma(2, 1) on the scale, Gamma(1.1, 30) on the noise), with its gradient in θ.
 * Fitting maximises it by L-BFGS from each given start and keeps the best.
 */
final class MarginalLikelihood {
    private final double[][] x;
    private final double[] y;

    MarginalLikelihood(double[][] x, double[] y) {
        this.x = x;
        this.y = y;
    }

    KernelParameters fit(java.util.List<KernelParameters> starts, int maxIterations) {
        int d = x[0].length;
        double[][] bounds = KernelParameters.thetaBounds(d);
        KernelParameters best = null;
        double bestValue = Double.POSITIVE_INFINITY;
        for (KernelParameters start : starts) {
            double[] theta = BoundedLbfgs.minimize(this::negativeLogPosterior, start.theta(), bounds[0], bounds[1], maxIterations);
            double value = negativeLogPosterior(theta, new double[theta.length]);
            if (value < bestValue) {
                bestValue = value;
                best = KernelParameters.fromTheta(theta);
            }
        }
        if (best == null) throw new IllegalStateException("marginal likelihood is not finite at any start");
        return best;
    }

    /** {@code -(log p(y | θ) + log p(θ))}, gradient written into {@code gradient}; +∞ when K is singular. */
    double negativeLogPosterior(double[] theta, double[] gradient) {
        KernelParameters p = KernelParameters.fromTheta(theta);
        int n = x.length;
        int d = p.dimensions();
        DMatrixRMaj k = GaussianProcess.covariance(x, p);
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(n);
        if (!solver.setA(k)) return Double.POSITIVE_INFINITY;
        CholeskyDecomposition_F64<DMatrixRMaj> chol = solver.getDecomposition();
        DMatrixRMaj lower = chol.getT(null);
        double logDet = 0;
        for (int i = 0; i < n; i++) logDet += 2 * Math.log(lower.get(i, i));
        if (!Double.isFinite(logDet)) return Double.POSITIVE_INFINITY;
        DMatrixRMaj alpha = new DMatrixRMaj(n, 1);
        solver.solve(new DMatrixRMaj(n, 1, true, y), alpha);
        DMatrixRMaj inverse = new DMatrixRMaj(n, n);
        solver.invert(inverse);
        double fit = 0;
        for (int i = 0; i < n; i++) fit += y[i] * alpha.data[i];
        double logLikelihood = -0.5 * fit - 0.5 * logDet - 0.5 * n * Math.log(2 * Math.PI);

        double[] lambda = p.inverseSquaredLengthscales();
        double logPrior = 0;
        for (double l : lambda) logPrior -= 0.1 / l + 0.1 * l;
        logPrior += Math.log(p.scale()) - p.scale();
        logPrior += 0.1 * Math.log(p.noise()) - 30 * p.noise();

        // ∂ log p(y|θ) / ∂θ = ½ tr(W ∂K/∂θ) with W = α αᵀ - K^{-1}
        java.util.Arrays.fill(gradient, 0);
        double[] a = alpha.data;
        double traceScale = 0;
        double traceNoise = 0;
        for (int i = 0; i < n; i++) {
            double wii = a[i] * a[i] - inverse.data[i * n + i];
            traceScale += wii * p.scale();
            traceNoise += wii;
            for (int j = 0; j < i; j++) {
                double w = 2 * (a[i] * a[j] - inverse.data[i * n + j]); // both triangles
                double r2 = p.squaredDistance(x[i], x[j]);
                traceScale += w * p.kernel(r2);
                double slope = p.kernelSlope(r2);
                for (int l = 0; l < d; l++) {
                    double diff = x[i][l] - x[j][l];
                    // ∂k/∂log λ_l = slope · ½ λ_l diff²  (slope is negative: longer scaled distance, smaller k)
                    gradient[l] += w * slope * 0.5 * lambda[l] * diff * diff;
                }
            }
        }
        for (int l = 0; l < d; l++) {
            gradient[l] = 0.5 * gradient[l] + (0.1 / lambda[l] - 0.1 * lambda[l]);
        }
        gradient[d] = 0.5 * traceScale + 1 - p.scale();
        double noiseExcess = p.noise() - KernelParameters.MIN_NOISE;
        gradient[d + 1] = (0.5 * traceNoise + 0.1 / p.noise() - 30) * noiseExcess;
        for (int i = 0; i < gradient.length; i++) gradient[i] = -gradient[i];
        return -(logLikelihood + logPrior);
    }
}
