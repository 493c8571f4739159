package dev.vernier.core.strategy.bayes;

import java.util.List;

/** The log of the average of several acquisitions given in log form (e.g. one per kernel-parameter sample). */
final class AveragedAcquisition extends Acquisition {
    private final List<Acquisition> parts;

    AveragedAcquisition(GaussianProcess gp, List<Acquisition> parts) {
        super(gp, 0);
        this.parts = parts;
    }

    @Override
    double value(double[] u) {
        double[] v = new double[parts.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) max = Math.max(max, v[i] = parts.get(i).value(u));
        if (max == Double.NEGATIVE_INFINITY) return max;
        double sum = 0;
        for (double x : v) sum += Math.exp(x - max);
        return max + Math.log(sum / v.length);
    }

    @Override
    double value(double[] u, double[] gradient) {
        int k = parts.size();
        double[] v = new double[k];
        double[][] g = new double[k][u.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) max = Math.max(max, v[i] = parts.get(i).value(u, g[i]));
        java.util.Arrays.fill(gradient, 0);
        if (max == Double.NEGATIVE_INFINITY) return max;
        double sum = 0;
        for (double x : v) sum += Math.exp(x - max);
        for (int i = 0; i < k; i++) {
            double w = Math.exp(v[i] - max) / sum;
            if (w == 0) continue;
            for (int j = 0; j < u.length; j++) gradient[j] += w * g[i][j];
        }
        return max + Math.log(sum / k);
    }
}
