package dev.vernier.core.strategy.bayes;

import java.util.List;

/**
 * Input warping (Snoek et al. 2014): each continuous column goes through a Kumaraswamy CDF
 * {@code w(x) = 1 - (1 - x^a)^b} before the kernel sees it; {@code a, b} are fitted by maximum a
 * posteriori (log-normal prior with deviation 0.75 on log a and log b, as BoTorch) with the kernel
 * parameters held fixed, then the kernel is refitted on the warped inputs.
 */
final class InputWarping {
    private static final double EDGE = 1e-6;
    private final int[] columns;
    private final double[] a;
    private final double[] b;

    InputWarping(int[] columns, double[] a, double[] b) {
        this.columns = columns;
        this.a = a;
        this.b = b;
    }

    double[] apply(double[] u) {
        double[] out = u.clone();
        for (int i = 0; i < columns.length; i++) {
            double x = Math.min(1 - EDGE, Math.max(EDGE, u[columns[i]]));
            out[columns[i]] = 1 - Math.pow(1 - Math.pow(x, a[i]), b[i]);
        }
        return out;
    }

    /** {@code dw/du} per column (1 for unwarped columns). */
    double[] derivative(double[] u) {
        double[] d = new double[u.length];
        java.util.Arrays.fill(d, 1);
        for (int i = 0; i < columns.length; i++) {
            double x = Math.min(1 - EDGE, Math.max(EDGE, u[columns[i]]));
            double xa = Math.pow(x, a[i]);
            d[columns[i]] = Math.min(1e3, a[i] * b[i] * xa / x * Math.pow(1 - xa, b[i] - 1));
        }
        return d;
    }

    static InputWarping fit(double[][] x, double[] y, KernelParameters params, int[] columns) {
        int m = columns.length;
        double[] z0 = new double[2 * m];
        double[] lo = new double[2 * m];
        double[] hi = new double[2 * m];
        java.util.Arrays.fill(lo, Math.log(0.2));
        java.util.Arrays.fill(hi, Math.log(5));
        double[] theta = params.theta();
        BoundedLbfgs.Objective objective = (z, g) -> {
            double f = negativeLogPosterior(x, y, theta, columns, z);
            for (int k = 0; k < z.length; k++) {
                double[] zk = z.clone();
                double h = 1e-5;
                zk[k] += h;
                g[k] = (negativeLogPosterior(x, y, theta, columns, zk) - f) / h;
            }
            return f;
        };
        double[] z = BoundedLbfgs.minimize(objective, z0, lo, hi, 25, 1e-6, 1e-3);
        return of(columns, z);
    }

    private static InputWarping of(int[] columns, double[] z) {
        int m = columns.length;
        double[] a = new double[m];
        double[] b = new double[m];
        for (int i = 0; i < m; i++) {
            a[i] = Math.exp(z[i]);
            b[i] = Math.exp(z[m + i]);
        }
        return new InputWarping(columns, a, b);
    }

    private static double negativeLogPosterior(double[][] x, double[] y, double[] theta, int[] columns, double[] z) {
        InputWarping w = of(columns, z);
        double[][] warped = new double[x.length][];
        for (int i = 0; i < x.length; i++) warped[i] = w.apply(x[i]);
        double v = new MarginalLikelihood(warped, y).negativeLogPosterior(theta, new double[theta.length]);
        for (double t : z) v += t * t / (2 * 0.75 * 0.75);
        return Double.isFinite(v) ? v : Double.POSITIVE_INFINITY;
    }

    List<double[]> applyAll(List<double[]> points) {
        return points.stream().map(this::apply).toList();
    }

    /** An acquisition over warped inputs seen from the unwarped cube. */
    static Acquisition wrap(Acquisition inner, InputWarping warp, GaussianProcess gp) {
        if (warp == null) return inner;
        return new Acquisition(gp, 0) {
            @Override
            double value(double[] u) {
                return inner.value(warp.apply(u));
            }

            @Override
            double value(double[] u, double[] gradient) {
                double v = inner.value(warp.apply(u), gradient);
                double[] d = warp.derivative(u);
                for (int j = 0; j < gradient.length; j++) gradient[j] *= d[j];
                return v;
            }
        };
    }
}
