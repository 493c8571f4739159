package dev.vernier.core.strategy.bayes;

import java.util.List;

/**
 * Log expected improvement times local penalisers around pending points (González et al., "Batch
 * Bayesian optimization via local penalization", 2016): a pending point {@code x_j} excludes a ball
 * of radius {@code (μ(x_j) - best) / L} with {@code L} a Lipschitz constant of the objective; the
 * ball's radius is uncertain, so the penaliser is {@code Φ((L‖x - x_j‖ - μ_j + best) / σ_j)}.
 *
 * <p>The improvement is measured below the best success or the best value believed at a pending
 * point ({@code μ_j}), whichever is lower (the textbook kriging believer): otherwise a pending
 * point predicted below the best shows that predicted gain as expected improvement with no
 * uncertainty left, and the next proposal lands right next to it, so parallel runs crept downhill
 * in small steps.
 */
final class PenalisedAcquisition extends Acquisition {
    private final List<double[]> centres;
    private final double[] offset; // μ_j - best
    private final double[] sd;
    private final double lipschitz;

    PenalisedAcquisition(GaussianProcess gp, GaussianProcess model, double best, List<double[]> pending, double lipschitz) {
        super(gp, Math.min(best, lowestMean(model, pending)));
        this.centres = pending;
        this.lipschitz = lipschitz;
        offset = new double[pending.size()];
        sd = new double[pending.size()];
        for (int j = 0; j < pending.size(); j++) {
            double[] mv = model.predict(pending.get(j));
            offset[j] = Math.max(mv[0] - best, 0);
            sd[j] = Math.sqrt(mv[1] + model.params().noise());
        }
    }

    private static double lowestMean(GaussianProcess model, List<double[]> pending) {
        double lowest = Double.POSITIVE_INFINITY;
        for (double[] p : pending) lowest = Math.min(lowest, model.predict(p)[0]);
        return lowest;
    }

    @Override
    double value(double[] u) {
        double v = super.value(u);
        for (int j = 0; j < centres.size(); j++) v += LogExpectedImprovement.logCdf(z(u, j, distance(u, centres.get(j))));
        return v;
    }

    @Override
    double value(double[] u, double[] gradient) {
        double v = super.value(u, gradient);
        for (int j = 0; j < centres.size(); j++) {
            double[] c = centres.get(j);
            double r = distance(u, c);
            double z = z(u, j, r);
            v += LogExpectedImprovement.logCdf(z);
            if (r < 1e-12) continue;
            double scale = LogExpectedImprovement.dLogCdf(z) * lipschitz / (sd[j] * r);
            for (int i = 0; i < u.length; i++) gradient[i] += scale * (u[i] - c[i]);
        }
        return v;
    }

    private double z(double[] u, int j, double r) {
        return (lipschitz * r - offset[j]) / sd[j];
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }

    /** The largest gradient norm of the posterior mean over the given points: González et al.'s estimate of L. */
    static double lipschitz(GaussianProcess gp, List<double[]> points) {
        double max = 1e-7;
        for (double[] p : points) {
            double[] dm = new double[p.length];
            double[] dv = new double[p.length];
            gp.predict(p, dm, dv);
            double s = 0;
            for (double g : dm) s += g * g;
            max = Math.max(max, Math.sqrt(s));
        }
        return max;
    }
}
