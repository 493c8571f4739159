package dev.vernier.core.strategy.bayes;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * Gaussian-process regression with fixed kernel parameters: the posterior of the latent function
 * given points {@code x} (in the unit cube) and targets {@code y} (already standardised; the prior
 * mean is zero). Cholesky factorisation by EJML.
 */
final class GaussianProcess {
    private final double[][] x;
    private final KernelParameters params;
    private final double[] lower; // row-major lower-triangular Cholesky factor of K + noise·I
    private final double[] alpha; // (K + noise·I)^{-1} y
    private final int n;

    private GaussianProcess(double[][] x, KernelParameters params, double[] lower, double[] alpha) {
        this.x = x;
        this.params = params;
        this.lower = lower;
        this.alpha = alpha;
        this.n = x.length;
    }

    /** @throws IllegalStateException when the covariance matrix is not positive definite */
    static GaussianProcess condition(double[][] x, double[] y, KernelParameters params) {
        DMatrixRMaj k = covariance(x, params);
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(x.length, true);
        if (!chol.decompose(k)) throw new IllegalStateException("covariance is not positive definite");
        double[] lower = chol.getT(null).data;
        double[] alpha = y.clone();
        TriangularSolver_DDRM.solveL(lower, alpha, x.length);
        TriangularSolver_DDRM.solveTranL(lower, alpha, x.length);
        return new GaussianProcess(x, params, lower, alpha);
    }

    static DMatrixRMaj covariance(double[][] x, KernelParameters params) {
        int n = x.length;
        DMatrixRMaj k = new DMatrixRMaj(n, n);
        for (int a = 0; a < n; a++) {
            k.data[a * n + a] = params.scale() + params.noise();
            for (int b = 0; b < a; b++) {
                double v = params.kernel(params.squaredDistance(x[a], x[b]));
                k.data[a * n + b] = v;
                k.data[b * n + a] = v;
            }
        }
        return k;
    }

    KernelParameters params() {
        return params;
    }

    /** Posterior mean and variance of the latent function at {@code point}: {@code {mean, variance}}. */
    double[] predict(double[] point) {
        double[] ks = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            ks[i] = params.kernel(params.squaredDistance(point, x[i]));
            mean += ks[i] * alpha[i];
        }
        TriangularSolver_DDRM.solveL(lower, ks, n);
        double explained = 0;
        for (double v : ks) explained += v * v;
        return new double[] {mean, Math.max(params.scale() - explained, 1e-12)};
    }

    /**
     * Like {@link #predict}, and writes the gradients of mean and variance with respect to the
     * point into {@code dMean} and {@code dVariance}.
     */
    double[] predict(double[] point, double[] dMean, double[] dVariance) {
        int d = point.length;
        double[] ks = new double[n];
        double[] slope = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            double r2 = params.squaredDistance(point, x[i]);
            ks[i] = params.kernel(r2);
            slope[i] = params.kernelSlope(r2);
            mean += ks[i] * alpha[i];
        }
        double[] w = ks.clone();
        TriangularSolver_DDRM.solveL(lower, w, n);
        double explained = 0;
        for (double v : w) explained += v * v;
        TriangularSolver_DDRM.solveTranL(lower, w, n); // w = K^{-1} k*
        java.util.Arrays.fill(dMean, 0);
        java.util.Arrays.fill(dVariance, 0);
        double[] lambda = params.inverseSquaredLengthscales();
        for (int i = 0; i < n; i++) {
            double a = slope[i] * alpha[i];
            double b = -2 * slope[i] * w[i];
            for (int j = 0; j < d; j++) {
                double g = lambda[j] * (point[j] - x[i][j]);
                dMean[j] += a * g;
                dVariance[j] += b * g;
            }
        }
        double variance = params.scale() - explained;
        if (variance < 1e-12) {
            java.util.Arrays.fill(dVariance, 0);
            variance = 1e-12;
        }
        return new double[] {mean, variance};
    }
}
