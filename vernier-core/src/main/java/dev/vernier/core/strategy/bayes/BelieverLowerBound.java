package dev.vernier.core.strategy.bayes;

/**
 * GP-BUCB (Desautels et al. 2014) for minimisation: {@code -(μ(u) - β σ_B(u))} with the mean of the
 * real posterior and the deviation of the kriging believer (pending points conditioned at their
 * mean), so the bonus vanishes next to pending points.
 */
final class BelieverLowerBound extends Acquisition {
    private final GaussianProcess real;
    private final GaussianProcess believer;
    private final double beta;

    BelieverLowerBound(GaussianProcess real, GaussianProcess believer, double beta) {
        super(real, 0);
        this.real = real;
        this.believer = believer;
        this.beta = beta;
    }

    @Override
    double value(double[] u) {
        return -(real.predict(u)[0] - beta * Math.sqrt(believer.predict(u)[1]));
    }

    @Override
    double value(double[] u, double[] gradient) {
        int d = u.length;
        double[] dMean = new double[d];
        double[] dVariance = new double[d];
        double mean = real.predict(u, dMean, new double[d])[0];
        double variance = believer.predict(u, new double[d], dVariance)[1];
        double sd = Math.sqrt(variance);
        for (int j = 0; j < d; j++) gradient[j] = -dMean[j] + beta * dVariance[j] / (2 * sd);
        return -(mean - beta * sd);
    }
}
