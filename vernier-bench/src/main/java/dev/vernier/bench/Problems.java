package dev.vernier.bench;

import dev.vernier.core.space.CategoricalParameter;
import dev.vernier.core.space.Configuration;
import dev.vernier.core.space.ContinuousParameter;
import dev.vernier.core.space.IntegerParameter;
import dev.vernier.core.space.Parameter;
import dev.vernier.core.space.Scaling;
import dev.vernier.core.space.SearchSpace;
import dev.vernier.core.space.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark problems of issue 4; vernier-bench/optuna/run_optuna.py defines the same ones for
 * Optuna. All are minimised.
 */
final class Problems {
    private Problems() {}

    private static final double[][] H3_A = {{3.0, 10, 30}, {0.1, 10, 35}, {3.0, 10, 30}, {0.1, 10, 35}};
    private static final double[][] H3_P = {{0.3689, 0.1170, 0.2673}, {0.4699, 0.4387, 0.7470},
            {0.1091, 0.8732, 0.5547}, {0.03815, 0.5743, 0.8828}};
    private static final double[][] H6_A = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14},
            {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] H6_P = {{0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
            {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991}, {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
            {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};
    private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};

    static List<Problem> all() {
        return List.of(
                box("Branin", 2, new double[] {-5, 0}, new double[] {10, 15}, x -> branin(x[0], x[1]), 0.397887357729738),
                box("Hartmann-3", 3, 0, 1, x -> hartmann(x, H3_A, H3_P), -3.86278214782076),
                box("Hartmann-6", 6, 0, 1, x -> hartmann(x, H6_A, H6_P), -3.32236801141551),
                box("Rosenbrock-4D", 4, -5, 10, Problems::rosenbrock, 0),
                box("Ackley-5D", 5, -32.768, 32.768, Problems::ackley, 0),
                // Ackley's optimum is the centre of its box, which our warm-up proposes first; this
                // variant moves the optimum to (10, ..., 10) so that the centre is no help.
                box("Ackley-5D-shifted", 5, -32.768, 32.768, x -> ackley(java.util.Arrays.stream(x).map(v -> v - 10).toArray()), 0),
                new Problem("Mixed-IntLog", SearchSpace.of(List.of(new IntegerParameter("layers", 1, 64, Scaling.LINEAR),
                        new ContinuousParameter("lr", 1e-5, 1, Scaling.LOGARITHMIC))),
                        c -> mixedIntLog(Problem.real(c, "layers"), Problem.real(c, "lr")), 0),
                new Problem("Mixed-Categorical", SearchSpace.of(List.of(
                        new CategoricalParameter("kind", List.of("quadratic", "branin", "ackley")),
                        new ContinuousParameter("x", 0, 1, Scaling.LINEAR), new ContinuousParameter("y", 0, 1, Scaling.LINEAR))),
                        c -> mixedCategorical(((Value.Choice) c.values().get("kind")).value(), Problem.real(c, "x"), Problem.real(c, "y")),
                        0.397887357729738 / 50));
    }

    private static Problem box(String name, int d, double lo, double hi, ToDoubleFunction<double[]> f, double optimum) {
        double[] l = new double[d];
        double[] h = new double[d];
        java.util.Arrays.fill(l, lo);
        java.util.Arrays.fill(h, hi);
        return box(name, d, l, h, f, optimum);
    }

    private static Problem box(String name, int d, double[] lo, double[] hi, ToDoubleFunction<double[]> f, double optimum) {
        List<Parameter> params = new ArrayList<>();
        for (int j = 0; j < d; j++) params.add(new ContinuousParameter(name(name, j), lo[j], hi[j], Scaling.LINEAR));
        return new Problem(name, SearchSpace.of(params), (Configuration c) -> {
            double[] x = new double[d];
            for (int j = 0; j < d; j++) x[j] = Problem.real(c, name(name, j));
            return f.applyAsDouble(x);
        }, optimum);
    }

    private static String name(String problem, int j) {
        return problem.equals("Branin") ? "x" + (j + 1) : "x" + j;
    }

    static double branin(double x1, double x2) {
        double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        double u = x2 - b * x1 * x1 + c * x1 - 6;
        return u * u + 10 * (1 - t) * Math.cos(x1) + 10;
    }

    static double hartmann(double[] x, double[][] a, double[][] p) {
        double total = 0;
        for (int i = 0; i < 4; i++) {
            double inner = 0;
            for (int j = 0; j < x.length; j++) inner += a[i][j] * (x[j] - p[i][j]) * (x[j] - p[i][j]);
            total -= ALPHA[i] * Math.exp(-inner);
        }
        return total;
    }

    static double rosenbrock(double[] x) {
        double s = 0;
        for (int i = 0; i + 1 < x.length; i++) s += 100 * Math.pow(x[i + 1] - x[i] * x[i], 2) + Math.pow(1 - x[i], 2);
        return s;
    }

    static double ackley(double[] x) {
        double s1 = 0, s2 = 0;
        for (double v : x) {
            s1 += v * v;
            s2 += Math.cos(2 * Math.PI * v);
        }
        int d = x.length;
        return -20 * Math.exp(-0.2 * Math.sqrt(s1 / d)) - Math.exp(s2 / d) + 20 + Math.E;
    }

    /** Optimum 0 at 37 layers and learning rate 10^-2.7; the best learning rate drifts with the depth. */
    static double mixedIntLog(double layers, double lr) {
        double u = Math.log10(lr) + 2.7 - 0.02 * (layers - 37);
        return u * u + Math.pow((layers - 37) / 20.0, 2) + 0.1 * (1 - Math.cos(2 * Math.PI * u));
    }

    /** Three model families; the best is "branin" (Branin rescaled to the unit square, divided by 50). */
    static double mixedCategorical(String kind, double x, double y) {
        return switch (kind) {
            case "quadratic" -> 0.3 + 4 * ((x - 0.2) * (x - 0.2) + (y - 0.7) * (y - 0.7));
            case "branin" -> branin(15 * x - 5, 15 * y) / 50.0;
            default -> 0.1 + ackley(new double[] {4 * (x - 0.6), 4 * (y - 0.3)}) / 10.0;
        };
    }
}
