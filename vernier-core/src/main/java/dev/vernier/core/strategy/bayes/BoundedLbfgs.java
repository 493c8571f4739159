package dev.vernier.core.strategy.bayes;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small projected L-BFGS minimiser for box-bounded smooth functions: the quasi-Newton direction
 * is computed on the free variables, steps are projected onto the box and accepted by a
 * backtracking Armijo search. Enough for the few dozen parameters a GP has; not a general solver.
 */
final class BoundedLbfgs {
    /** A function that writes its gradient into {@code gradient} and returns its value. */
    interface Objective {
        double value(double[] x, double[] gradient);
    }

    private static final int MEMORY = 8;

    private BoundedLbfgs() {}

    /** Minimises from {@code start} (clamped) within {@code [lower, upper]}; returns the best point found. */
    static double[] minimize(Objective f, double[] start, double[] lower, double[] upper, int maxIterations) {
        return minimize(f, start, lower, upper, maxIterations, 1e-10, 1e-6);
    }

    /**
     * As above, stopping once an accepted step changes the value by less than
     * {@code relativeTolerance} or the projected gradient is below {@code gradientTolerance}.
     */
    static double[] minimize(Objective f, double[] start, double[] lower, double[] upper, int maxIterations,
                             double relativeTolerance, double gradientTolerance) {
        int n = start.length;
        double[] x = start.clone();
        clamp(x, lower, upper);
        double[] g = new double[n];
        double fx = f.value(x, g);
        if (!Double.isFinite(fx)) return x;
        Deque<double[][]> memory = new ArrayDeque<>();
        double[] xn = new double[n];
        double[] gn = new double[n];
        for (int iter = 0; iter < maxIterations; iter++) {
            double[] pg = projectedGradient(x, g, lower, upper);
            if (maxAbs(pg) < gradientTolerance) break;
            double[] d = direction(pg, memory);
            for (int i = 0; i < n; i++)
                if ((x[i] <= lower[i] && d[i] < 0) || (x[i] >= upper[i] && d[i] > 0)) d[i] = 0;
            if (dot(d, pg) >= 0) {
                memory.clear();
                for (int i = 0; i < n; i++) d[i] = -pg[i];
            }
            double t = memory.isEmpty() ? Math.min(1, 1 / Math.max(1e-12, maxAbs(d))) : 1;
            double fn = Double.NaN;
            boolean accepted = false;
            for (int k = 0; k < 30; k++) {
                for (int i = 0; i < n; i++) xn[i] = Math.max(lower[i], Math.min(upper[i], x[i] + t * d[i]));
                fn = f.value(xn, gn);
                double decrease = 0;
                for (int i = 0; i < n; i++) decrease += g[i] * (xn[i] - x[i]);
                if (Double.isFinite(fn) && fn <= fx + 1e-4 * decrease) {
                    accepted = true;
                    break;
                }
                t *= 0.5;
            }
            if (!accepted) break;
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = xn[i] - x[i];
                y[i] = gn[i] - g[i];
            }
            if (dot(s, y) > 1e-12) {
                memory.addLast(new double[][] {s, y});
                if (memory.size() > MEMORY) memory.removeFirst();
            }
            boolean stalled = Math.abs(fx - fn) <= relativeTolerance * Math.max(1, Math.abs(fx));
            System.arraycopy(xn, 0, x, 0, n);
            System.arraycopy(gn, 0, g, 0, n);
            fx = fn;
            if (stalled) break;
        }
        return x;
    }

    private static double[] direction(double[] grad, Deque<double[][]> memory) {
        double[] q = grad.clone();
        int m = memory.size();
        double[] alpha = new double[m];
        double[][][] pairs = memory.toArray(new double[0][][]);
        for (int k = m - 1; k >= 0; k--) {
            double rho = 1 / dot(pairs[k][0], pairs[k][1]);
            alpha[k] = rho * dot(pairs[k][0], q);
            axpy(-alpha[k], pairs[k][1], q);
        }
        if (m > 0) {
            double[][] last = pairs[m - 1];
            double gamma = dot(last[0], last[1]) / dot(last[1], last[1]);
            for (int i = 0; i < q.length; i++) q[i] *= gamma;
        }
        for (int k = 0; k < m; k++) {
            double rho = 1 / dot(pairs[k][0], pairs[k][1]);
            double beta = rho * dot(pairs[k][1], q);
            axpy(alpha[k] - beta, pairs[k][0], q);
        }
        for (int i = 0; i < q.length; i++) q[i] = -q[i];
        return q;
    }

    private static double[] projectedGradient(double[] x, double[] g, double[] lower, double[] upper) {
        double[] pg = g.clone();
        for (int i = 0; i < x.length; i++)
            if ((x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0)) pg[i] = 0;
        return pg;
    }

    private static void clamp(double[] x, double[] lower, double[] upper) {
        for (int i = 0; i < x.length; i++) x[i] = Math.max(lower[i], Math.min(upper[i], x[i]));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += a * x[i];
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double e : v) m = Math.max(m, Math.abs(e));
        return m;
    }
}
