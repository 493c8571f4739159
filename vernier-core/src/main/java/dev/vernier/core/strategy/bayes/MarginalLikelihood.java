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

    /** Squared coordinate differences of every pair {@code (i, j < i)}, per dimension, computed once per fit. */
    private final double[][] pairDiffs;

    MarginalLikelihood(double[][] x, double[] y) {
        this.x = x;
        this.y = y;
        int n = x.length;
        int d = x[0].length;
        this.pairDiffs = new double[d][n * (n - 1) / 2];
        int pair = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++, pair++)
                for (int l = 0; l < d; l++) pairDiffs[l][pair] = (x[i][l] - x[j][l]) * (x[i][l] - x[j][l]);
    }

    KernelParameters fit(java.util.List<KernelParameters> starts, int maxIterations) {
        return fit(starts, maxIterations, 1e-5, 1e-3);
    }

    KernelParameters fit(java.util.List<KernelParameters> starts, int maxIterations, double relativeTolerance,
                         double gradientTolerance) {
        int d = x[0].length;
        double[][] bounds = KernelParameters.thetaBounds(d);
        KernelParameters best = null;
        double bestValue = Double.POSITIVE_INFINITY;
        for (KernelParameters start : starts) {
            double[] theta = BoundedLbfgs.minimize(this::negativeLogPosterior, start.theta(), bounds[0], bounds[1],
                    maxIterations, relativeTolerance, gradientTolerance);
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
    int evaluations;

    double negativeLogPosterior(double[] theta, double[] gradient) {
        evaluations++;
        KernelParameters p = KernelParameters.fromTheta(theta);
        int n = x.length;
        int d = p.dimensions();
        int pairs = n * (n - 1) / 2;
        double[] kernel = new double[pairs];
        double[] slope = new double[pairs];
        double[] lambda = p.inverseSquaredLengthscales();
        DMatrixRMaj k = new DMatrixRMaj(n, n);
        for (int i = 0, pair = 0; i < n; i++) {
            k.data[i * n + i] = p.scale() + p.noise();
            for (int j = 0; j < i; j++, pair++) {
                double r2 = 0;
                for (int l = 0; l < d; l++) r2 += lambda[l] * pairDiffs[l][pair];
                double r = Math.sqrt(r2);
                double e = p.scale() * Math.exp(-KernelParameters.SQRT5 * r);
                kernel[pair] = (1 + KernelParameters.SQRT5 * r + 5.0 / 3.0 * r2) * e;
                slope[pair] = -5.0 / 3.0 * (1 + KernelParameters.SQRT5 * r) * e;
                k.data[i * n + j] = kernel[pair];
                k.data[j * n + i] = kernel[pair];
            }
        }
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

        double logPrior = 0;
        for (double l : lambda) logPrior -= 0.1 / l + 0.1 * l;
        logPrior += Math.log(p.scale()) - p.scale();
        logPrior += 0.1 * Math.log(p.noise()) - 30 * p.noise();

        // ∂ log p(y|θ) / ∂θ = ½ tr(W ∂K/∂θ) with W = α αᵀ - K^{-1}
        java.util.Arrays.fill(gradient, 0);
        double[] a = alpha.data;
        double traceScale = 0;
        double traceNoise = 0;
        double[] w = new double[pairs];
        for (int i = 0, pair = 0; i < n; i++) {
            double wii = a[i] * a[i] - inverse.data[i * n + i];
            traceScale += wii * p.scale();
            traceNoise += wii;
            for (int j = 0; j < i; j++, pair++) {
                w[pair] = 2 * (a[i] * a[j] - inverse.data[i * n + j]); // both triangles
                traceScale += w[pair] * kernel[pair];
                w[pair] *= slope[pair];
            }
        }
        // ∂k/∂log λ_l = slope · ½ λ_l diff²  (slope < 0: a longer scaled distance, a smaller k)
        for (int l = 0; l < d; l++) {
            double[] diffs = pairDiffs[l];
            double sum = 0;
            for (int pair = 0; pair < pairs; pair++) sum += w[pair] * diffs[pair];
            gradient[l] = sum * 0.5 * lambda[l];
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
