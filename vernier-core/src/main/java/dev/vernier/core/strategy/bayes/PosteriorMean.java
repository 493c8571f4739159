package dev.vernier.core.strategy.bayes;

/** The negated posterior mean as an acquisition: maximising it finds where the model expects the best value. */
final class PosteriorMean extends Acquisition {
    private final GaussianProcess gp;

    PosteriorMean(GaussianProcess gp) {
        super(gp, 0);
        this.gp = gp;
    }

    @Override
    double value(double[] u) {
        return -gp.predict(u)[0];
    }

    @Override
    double value(double[] u, double[] gradient) {
        double mean = gp.predict(u, gradient, new double[u.length])[0];
        for (int j = 0; j < gradient.length; j++) gradient[j] = -gradient[j];
        return -mean;
    }
}
