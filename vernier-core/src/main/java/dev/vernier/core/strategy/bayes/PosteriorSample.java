package dev.vernier.core.strategy.bayes;

import java.util.SplittableRandom;

/**
 * One draw from the GP posterior as a smooth function that can be optimised continuously
 * (Thompson sampling): a prior draw by random Fourier features of the Matérn-5/2 kernel (whose
 * spectral density is a Student-t with 5 degrees of freedom), updated by pathwise conditioning
 * (Wilson et al. 2020): {@code f(u) = f₀(u) + k(u, X) (K + noise·I)^{-1} (y - f₀(X) - ε)}.
 * As an acquisition its value is {@code -f(u)} (targets are minimised).
 */
final class PosteriorSample extends Acquisition {
    private final KernelParameters params;
    private final double[][] x;
    private final double[][] omega;
    private final double[] phase;
    private final double[] weight; // amplitude folded in
    private final double[] v;

    PosteriorSample(GaussianProcess gp, double[] y, int features, SplittableRandom rng) {
        super(gp, 0);
        this.params = gp.params();
        this.x = gp.points();
        int d = params.dimensions();
        double[] lambda = params.inverseSquaredLengthscales();
        omega = new double[features][d];
        phase = new double[features];
        weight = new double[features];
        double amplitude = Math.sqrt(2 * params.scale() / features);
        for (int k = 0; k < features; k++) {
            double chi = 0; // χ² with 5 degrees of freedom
            for (int i = 0; i < 5; i++) {
                double g = gaussian(rng);
                chi += g * g;
            }
            double t = Math.sqrt(5 / chi);
            for (int j = 0; j < d; j++) omega[k][j] = Math.sqrt(lambda[j]) * gaussian(rng) * t;
            phase[k] = 2 * Math.PI * rng.nextDouble();
            weight[k] = amplitude * gaussian(rng);
        }
        double[] residual = new double[x.length];
        double noiseSd = Math.sqrt(params.noise());
        for (int i = 0; i < x.length; i++) residual[i] = y[i] - prior(x[i], null) - noiseSd * gaussian(rng);
        v = gp.solve(residual);
    }

    private double prior(double[] u, double[] gradient) {
        double f = 0;
        for (int k = 0; k < omega.length; k++) {
            double arg = phase[k];
            double[] w = omega[k];
            for (int j = 0; j < u.length; j++) arg += w[j] * u[j];
            f += weight[k] * Math.cos(arg);
            if (gradient != null) {
                double s = -weight[k] * Math.sin(arg);
                for (int j = 0; j < u.length; j++) gradient[j] += s * w[j];
            }
        }
        return f;
    }

    /** The sampled function's value at {@code u} (gradient added into {@code gradient} when not null). */
    double sample(double[] u, double[] gradient) {
        if (gradient != null) java.util.Arrays.fill(gradient, 0);
        double f = prior(u, gradient);
        double[] lambda = params.inverseSquaredLengthscales();
        for (int i = 0; i < x.length; i++) {
            double r2 = params.squaredDistance(u, x[i]);
            f += params.kernel(r2) * v[i];
            if (gradient != null) {
                double a = params.kernelSlope(r2) * v[i];
                for (int j = 0; j < u.length; j++) gradient[j] += a * lambda[j] * (u[j] - x[i][j]);
            }
        }
        return f;
    }

    @Override
    double value(double[] u) {
        return -sample(u, null);
    }

    @Override
    double value(double[] u, double[] gradient) {
        double f = sample(u, gradient);
        for (int j = 0; j < gradient.length; j++) gradient[j] = -gradient[j];
        return -f;
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
