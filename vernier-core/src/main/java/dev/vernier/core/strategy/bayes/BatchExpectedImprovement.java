package dev.vernier.core.strategy.bayes;

import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The gain in batch (q-) expected improvement from adding a point to the pending ones, in log
 * form: {@code log E[max(0, min(best, y_1..y_m) - f(u))]} under the joint posterior of the pending
 * outcomes {@code y_j} (latent value plus noise) and {@code f(u)}. The pending outcomes are
 * sampled jointly with fixed base samples (antithetic pairs, drawn once per proposal, so the
 * acquisition is a smooth deterministic function of {@code u}); given each sample, {@code f(u)} is
 * Gaussian and its expected improvement below that sample's incumbent is exact (Rao-Blackwellised
 * Monte-Carlo q-EI, maximised greedily for the new point).
 *
 * <p>Given the pending outcomes {@code y = μ_P + L z}, {@code L Lᵀ = Σ_PP + noise·I}, the new point
 * is {@code N(μ(u) + cᵀz, σ²(u) - |c|²)} with {@code c = L^{-1} Σ_Pu}: the kriging believer's
 * variance, and a mean that moves with each sample.
 */
final class BatchExpectedImprovement extends Acquisition {
    private final GaussianProcess gp;
    private final double[][] pending;
    private final double[][] weights;
    private final double[] lower; // m×m Cholesky factor of Σ_PP + noise·I
    private final double[][] base; // S×m standard normal samples
    private final double[] incumbent; // per sample: min(best, sampled pending outcomes)
    private final int m;

    BatchExpectedImprovement(GaussianProcess gp, double best, List<double[]> pendingPoints, int samples, SplittableRandom rng) {
        super(gp, best);
        this.gp = gp;
        this.m = pendingPoints.size();
        this.pending = pendingPoints.toArray(double[][]::new);
        this.weights = new double[m][];
        for (int j = 0; j < m; j++) weights[j] = gp.weights(pending[j]);
        double[] mean = new double[m];
        DMatrixRMaj cov = new DMatrixRMaj(m, m);
        for (int j = 0; j < m; j++) {
            mean[j] = gp.predict(pending[j])[0];
            double[] row = gp.covariance(pending[j], pending, weights, null);
            for (int k = 0; k < m; k++) cov.set(j, k, row[k]);
        }
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < j; k++) cov.set(j, k, cov.get(k, j)); // exact symmetry
            cov.set(j, j, Math.max(cov.get(j, j), 1e-12) + gp.params().noise());
        }
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(m, true);
        if (!chol.decompose(cov)) throw new IllegalStateException("pending covariance is not positive definite");
        this.lower = chol.getT(null).data;
        int pairs = Math.max(1, samples / 2);
        this.base = new double[2 * pairs][m];
        this.incumbent = new double[2 * pairs];
        for (int s = 0; s < pairs; s++)
            for (int j = 0; j < m; j++) {
                double g = gaussian(rng);
                base[2 * s][j] = g;
                base[2 * s + 1][j] = -g;
            }
        for (int s = 0; s < base.length; s++) {
            double inc = best;
            for (int j = 0; j < m; j++) {
                double y = mean[j];
                for (int k = 0; k <= j; k++) y += lower[j * m + k] * base[s][k];
                inc = Math.min(inc, y);
            }
            incumbent[s] = inc;
        }
    }

    @Override
    double value(double[] u) {
        double[] mv = gp.predict(u);
        double[] c = gp.covariance(u, pending, weights, null);
        TriangularSolver_DDRM.solveL(lower, c, m);
        double explained = 0;
        for (double v : c) explained += v * v;
        double sigma = Math.sqrt(Math.max(mv[1] - explained, 1e-12));
        double max = Double.NEGATIVE_INFINITY;
        double[] t = new double[base.length];
        for (int s = 0; s < base.length; s++) {
            double shift = 0;
            for (int j = 0; j < m; j++) shift += c[j] * base[s][j];
            t[s] = Math.log(sigma) + LogExpectedImprovement.logH((incumbent[s] - mv[0] - shift) / sigma);
            max = Math.max(max, t[s]);
        }
        double sum = 0;
        for (double v : t) sum += Math.exp(v - max);
        return max + Math.log(sum / base.length);
    }

    @Override
    double value(double[] u, double[] gradient) {
        int d = u.length;
        double[] dMean = new double[d];
        double[] dVariance = new double[d];
        double[] mv = gp.predict(u, dMean, dVariance);
        double[][] dCov = new double[m][d];
        double[] c = gp.covariance(u, pending, weights, dCov);
        TriangularSolver_DDRM.solveL(lower, c, m);
        double[][] dc = new double[d][]; // dc[l] = L^{-1} ∂Σ_Pu/∂u_l
        for (int l = 0; l < d; l++) {
            double[] col = new double[m];
            for (int j = 0; j < m; j++) col[j] = dCov[j][l];
            TriangularSolver_DDRM.solveL(lower, col, m);
            dc[l] = col;
        }
        double explained = 0;
        for (double v : c) explained += v * v;
        double variance = mv[1] - explained;
        double[] dSigma = new double[d];
        double sigma;
        if (variance < 1e-12) {
            sigma = Math.sqrt(1e-12);
        } else {
            sigma = Math.sqrt(variance);
            for (int l = 0; l < d; l++) {
                double dv = dVariance[l];
                for (int j = 0; j < m; j++) dv -= 2 * c[j] * dc[l][j];
                dSigma[l] = dv / (2 * sigma);
            }
        }
        double[] t = new double[base.length];
        double[] z = new double[base.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < base.length; s++) {
            double shift = 0;
            for (int j = 0; j < m; j++) shift += c[j] * base[s][j];
            z[s] = (incumbent[s] - mv[0] - shift) / sigma;
            t[s] = Math.log(sigma) + LogExpectedImprovement.logH(z[s]);
            max = Math.max(max, t[s]);
        }
        double sum = 0;
        for (double v : t) sum += Math.exp(v - max);
        java.util.Arrays.fill(gradient, 0);
        for (int s = 0; s < base.length; s++) {
            double weight = Math.exp(t[s] - max) / sum;
            if (weight < 1e-300) continue;
            double slope = LogExpectedImprovement.dLogH(z[s]);
            for (int l = 0; l < d; l++) {
                double dShift = 0;
                for (int j = 0; j < m; j++) dShift += dc[l][j] * base[s][j];
                double dz = (-dMean[l] - dShift) / sigma - z[s] * dSigma[l] / sigma;
                gradient[l] += weight * (dSigma[l] / sigma + slope * dz);
            }
        }
        return max + Math.log(sum / base.length);
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
