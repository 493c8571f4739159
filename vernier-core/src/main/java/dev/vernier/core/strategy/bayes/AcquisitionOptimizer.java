package dev.vernier.core.strategy.bayes;

import dev.vernier.core.space.SpaceEncoding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Maximises an acquisition over the encoded space: a dense random candidate set (uniform, plus
 * perturbations of the best points seen), then bounded L-BFGS on the numeric columns from the
 * best few candidates, then one pass of trying each other choice of every categorical range.
 * Returns the candidates best first, so a caller can skip those that decode to a known configuration.
 */
final class AcquisitionOptimizer {
    private final SpaceEncoding encoding;
    private final int randomCandidates;
    private final int localStarts;

    AcquisitionOptimizer(SpaceEncoding encoding, int randomCandidates, int localStarts) {
        this.encoding = encoding;
        this.randomCandidates = randomCandidates;
        this.localStarts = localStarts;
    }

    List<double[]> rank(Acquisition acquisition, List<double[]> incumbents, SplittableRandom rng) {
        List<Scored> pool = new ArrayList<>();
        for (int i = 0; i < randomCandidates; i++) pool.add(score(acquisition, uniform(rng)));
        for (double[] good : incumbents)
            for (int k = 0; k < 16; k++) pool.add(score(acquisition, perturb(good, rng, k < 8 ? 0.02 : 0.1)));
        pool.sort(Comparator.comparingDouble((Scored s) -> s.value).reversed());
        List<Scored> refined = new ArrayList<>();
        for (int i = 0; i < Math.min(localStarts, pool.size()); i++) refined.add(refine(acquisition, pool.get(i).point));
        refined.addAll(pool);
        refined.sort(Comparator.comparingDouble((Scored s) -> s.value).reversed());
        return refined.stream().map(s -> s.point).toList();
    }

    /** Local ascent from {@code start} only (with integers rounded and categoricals tried, as for the best candidates). */
    double[] climbFrom(Acquisition acquisition, double[] start) {
        return refine(acquisition, start).point;
    }

    private Scored refine(Acquisition acquisition, double[] start) {
        int s = encoding.chosenSubspace(start);
        int[] numeric = encoding.numericColumns(s);
        int[] continuous = encoding.continuousColumns(s);
        double[] best = climb(acquisition, start, numeric);
        if (continuous.length < numeric.length) {
            // integers: round as the proposal will be, then polish the continuous columns around it
            best = encoding.encode(encoding.decode(best));
            best = climb(acquisition, best, continuous);
        }
        double bestValue = acquisition.value(best);
        for (int[] block : encoding.categoricalBlocks(s)) {
            for (int choice = 0; choice < block[1]; choice++) {
                double[] u = best.clone();
                for (int c = 0; c < block[1]; c++) u[block[0] + c] = c == choice ? 1 : 0;
                double v = acquisition.value(u);
                if (v > bestValue) {
                    bestValue = v;
                    System.arraycopy(u, 0, best, 0, u.length);
                }
            }
        }
        return new Scored(best, bestValue);
    }

    /** Bounded L-BFGS ascent of the acquisition over the {@code free} columns; the others stay fixed. */
    private static double[] climb(Acquisition acquisition, double[] start, int[] free) {
        double[] best = start.clone();
        if (free.length == 0) return best;
        double[] z0 = new double[free.length];
        for (int i = 0; i < free.length; i++) z0[i] = start[free[i]];
        double[] lo = new double[free.length];
        double[] hi = new double[free.length];
        java.util.Arrays.fill(hi, 1.0);
        BoundedLbfgs.Objective negative = (z, g) -> {
            double[] u = start.clone();
            for (int i = 0; i < free.length; i++) u[free[i]] = z[i];
            double[] full = new double[u.length];
            double v = acquisition.value(u, full);
            for (int i = 0; i < free.length; i++) g[i] = -full[free[i]];
            return Double.isFinite(v) ? -v : Double.POSITIVE_INFINITY;
        };
        double[] z = BoundedLbfgs.minimize(negative, z0, lo, hi, 60);
        for (int i = 0; i < free.length; i++) best[free[i]] = z[i];
        return best;
    }

    private double[] uniform(SplittableRandom rng) {
        int s = rng.nextInt(encoding.subspaceCount());
        double[] uniforms = new double[encoding.cube(s).dimensions()];
        for (int i = 0; i < uniforms.length; i++) uniforms[i] = rng.nextDouble();
        return snapCategoricals(encoding.point(s, uniforms));
    }

    /** Gaussian steps of the numeric columns; each categorical re-drawn with probability 1/4. */
    private double[] perturb(double[] point, SplittableRandom rng, double sd) {
        double[] u = point.clone();
        int s = encoding.chosenSubspace(point);
        for (int c : encoding.numericColumns(s)) u[c] = Math.max(0, Math.min(1, u[c] + sd * gaussian(rng)));
        for (int[] block : encoding.categoricalBlocks(s)) {
            if (rng.nextInt(4) != 0) continue;
            int choice = rng.nextInt(block[1]);
            for (int c = 0; c < block[1]; c++) u[block[0] + c] = c == choice ? 1 : 0;
        }
        return u;
    }

    /** One-hot blocks as the model saw them in training: exactly 0 or 1. */
    private double[] snapCategoricals(double[] u) {
        int s = encoding.chosenSubspace(u);
        double[] out = u.clone();
        for (int[] block : encoding.categoricalBlocks(s)) {
            int best = 0;
            for (int c = 1; c < block[1]; c++) if (u[block[0] + c] > u[block[0] + best]) best = c;
            for (int c = 0; c < block[1]; c++) out[block[0] + c] = c == best ? 1 : 0;
        }
        return out;
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    private Scored score(Acquisition acquisition, double[] u) {
        double v = acquisition.value(u);
        return new Scored(u, Double.isFinite(v) ? v : Double.NEGATIVE_INFINITY);
    }

    private record Scored(double[] point, double value) {}
}
