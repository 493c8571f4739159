package dev.vernier.core.strategy.bayes;

import dev.vernier.core.space.Configuration;
import dev.vernier.core.space.SpaceEncoding;
import dev.vernier.core.strategy.Goal;
import dev.vernier.core.strategy.Observation;
import dev.vernier.core.strategy.Proposal;
import dev.vernier.core.strategy.ProposalRequest;
import dev.vernier.core.strategy.Strategy;
import dev.vernier.core.strategy.random.RandomStrategy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * SageMaker's {@code Bayesian} strategy: Gaussian-process regression (ARD Matérn-5/2, learned
 * noise, kernel parameters fitted by maximum a posteriori with Optuna's priors) over the search
 * space mapped to the unit cube, and log expected improvement maximised over a dense candidate set
 * refined by bounded L-BFGS. See {@code docs/bayesian.md}.
 *
 * <ul>
 *   <li><b>Warm-up:</b> until {@link #initialDesignSize} jobs (for the ranges of the widest
 *       definition, plus one when there are several definitions) have succeeded or are running,
 *       and half of them have succeeded ({@link #inWarmUp}), quasi-random points
 *       ({@link InitialDesign}: the centre, then a seed-rotated Halton sequence indexed by the
 *       history length).</li>
 *   <li><b>Failed jobs</b> (no objective) do not take part in fitting kernel parameters; they join
 *       the posterior at the worst objective seen so far, which lowers the acquisition near them
 *       without distorting lengthscales. They are never proposed again.</li>
 *   <li><b>Parallel:</b> pending jobs, and configurations proposed earlier in the same call, join
 *       the posterior at the model's own mean (kriging believer), and the acquisition is multiplied
 *       by a local penaliser around each of them ({@link PenalisedAcquisition}), so parallel
 *       proposals are diverse yet may still refine next to a promising pending point; and when no
 *       pending job is near the posterior mean's minimum next to the best success, that minimum is
 *       proposed first ({@link #refinement}), so one worker keeps refining.</li>
 *   <li><b>Scale:</b> kernel parameters are fitted on at most {@value #FIT_CAP} successes and the
 *       posterior uses at most {@value #CONDITION_CAP}: the best half of the cap, then an even
 *       spread over the rest in history order. The previous fit travels in the state and is the
 *       first start of the next fit; a second start from default parameters is added whenever
 *       the number of successes has grown by a fifth since the last such fit ({@link State}).</li>
 *   <li><b>Fallback:</b> if the model cannot be fitted, a logged warning and a random proposal.</li>
 * </ul>
 * Deterministic: all randomness comes from the seed and the length of the history.
 */
public final class BayesianStrategy implements Strategy {
    static final int FIT_CAP = 128;
    /** Random points (besides the successes) at which the mean's gradient estimates the Lipschitz constant. */
    private static final int LIPSCHITZ_PROBES = 256;
    static final int CONDITION_CAP = 300;
    /**
     * Kernel distance {@code r} (ARD-scaled, see {@link KernelParameters}) within which a pending job
     * counts as already refining a point: prior correlation above ~0.77 (Matérn-5/2 at r = 0.6).
     * 1 (correlation 0.52) was the choice before the pessimistic prior mean; see docs/benchmarks.md.
     */
    static final double REFINING_RADIUS = 0.6;
    /** Up to this many successes, fits and acquisition search are more thorough (they are cheap then). */
    static final int THOROUGH = 64;
    private static final int FAILED_CAP = 100;
    private static final boolean PROFILE = Boolean.getBoolean("vernier.bayes.profile");
    private static final System.Logger LOG = System.getLogger(BayesianStrategy.class.getName());

    /**
     * Warm-up size for {@code d} ranges (a categorical counts once, not per value): {@code 2d}
     * quasi-random points, at least 5 and at most 20 (Ax's rule is {@code max(5, 2d)}; the cap
     * keeps wide spaces from spending a small budget on warm-up).
     */
    public static int initialDesignSize(int ranges) {
        return Math.max(5, Math.min(20, 2 * ranges));
    }

    @Override
    public Proposal propose(ProposalRequest request) {
        SpaceEncoding encoding = new SpaceEncoding(request.space());
        History h = History.of(encoding, request.observations(), request.goal());
        SplittableRandom rng = new SplittableRandom(RandomStrategy.streamSeed(request.seed(), request.observations().size()));
        if (inWarmUp(h.successX.size(), h.pendingX.size(), initialDesignSize(parameterCount(encoding))))
            return new Proposal(warmUp(encoding, request, h.seen, rng), request.state());
        try {
            return model(encoding, request, h, rng);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Bayesian strategy falls back to random: model fit failed: " + e);
            List<Configuration> out = new ArrayList<>();
            for (int i = 0; i < request.count(); i++) out.add(remember(RandomStrategy.draw(encoding, rng, h.seen), h.seen));
            return new Proposal(out, null);
        }
    }

    /**
     * The warm-up lasts until {@code size} design points have been proposed and are not failed
     * (succeeded or still running) and at least half of them have succeeded: with parallel jobs,
     * waiting for {@code size} successes would spend a design point per extra worker.
     */
    static boolean inWarmUp(int successes, int pending, int size) {
        return successes + pending < size || successes < Math.max(3, (size + 1) / 2);
    }

    /** Ranges of the widest definition, plus one for the choice of definition when there are several. */
    static int parameterCount(SpaceEncoding encoding) {
        int widest = 0;
        for (int s = 0; s < encoding.subspaceCount(); s++) widest = Math.max(widest, encoding.cube(s).subspace().parameters().size());
        return widest + (encoding.subspaceCount() > 1 ? 1 : 0);
    }

    private static List<Configuration> warmUp(SpaceEncoding encoding, ProposalRequest request, Set<Configuration> seen,
                                              SplittableRandom rng) {
        InitialDesign design = new InitialDesign(encoding.dimensions(), request.seed());
        List<Configuration> out = new ArrayList<>();
        for (int i = 0; i < request.count(); i++) {
            Configuration c = encoding.decode(design.point(request.observations().size() + i));
            out.add(remember(seen.contains(c) ? RandomStrategy.draw(encoding, rng, seen) : c, seen));
        }
        return out;
    }

    private static Proposal model(SpaceEncoding encoding, ProposalRequest request, History h, SplittableRandom rng) {
        int n = h.successX.size();
        double[] y = Targets.transform(h.successY.stream().mapToDouble(Double::doubleValue).toArray());
        int[] fitRows = subset(y, FIT_CAP);
        double[][] fitX = IntStream.of(fitRows).mapToObj(h.successX::get).toArray(double[][]::new);
        double[] fitY = IntStream.of(fitRows).mapToDouble(i -> y[i]).toArray();
        List<KernelParameters> starts = new ArrayList<>();
        State previous = State.decode(request.state(), encoding.dimensions());
        boolean thorough = n <= THOROUGH;
        boolean refresh = previous == null || n >= previous.fullFitAt() * 6 / 5 + 1 || (thorough && n % 5 == 0);
        if (previous != null) starts.add(previous.params());
        if (refresh) starts.add(KernelParameters.initial(encoding.dimensions()));
        long t0 = System.nanoTime();
        MarginalLikelihood likelihood = new MarginalLikelihood(fitX, fitY);
        // kernel parameters need no more than a few digits, but while the history is short a
        // tighter fit costs little
        KernelParameters params = thorough ? likelihood.fit(starts, 200, 1e-9, 1e-5) : likelihood.fit(starts, 200, 1e-5, 1e-3);
        if (PROFILE) System.err.printf("fit %d rows %d starts %d evaluations: %.1f ms%n", fitRows.length, starts.size(),
                likelihood.evaluations, (System.nanoTime() - t0) / 1e6);
        t0 = System.nanoTime();

        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        int[] rows = subset(y, CONDITION_CAP);
        for (int i : rows) {
            xs.add(h.successX.get(i));
            ys.add(y[i]);
        }
        double worst = java.util.Arrays.stream(y).max().orElse(0);
        double best = java.util.Arrays.stream(y).min().orElse(0);
        List<double[]> failed = h.failedX.subList(Math.max(0, h.failedX.size() - FAILED_CAP), h.failedX.size());
        for (double[] f : failed) {
            xs.add(f);
            ys.add(worst);
        }
        GaussianProcess real = condition(xs, ys, params);
        int realRows = xs.size();
        List<double[]> incumbents = IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble(i -> y[i]))
                .limit(5).map(h.successX::get).toList();
        AcquisitionOptimizer optimizer = thorough ? new AcquisitionOptimizer(encoding, 2048, 10)
                : new AcquisitionOptimizer(encoding, 1024, 5);
        List<Configuration> out = new ArrayList<>();
        for (int k = 0; k < request.count(); k++) {
            Configuration chosen = h.pendingX.isEmpty() ? null : refinement(encoding, optimizer, real, incumbents.getFirst(), h);
            if (chosen == null) {
                Acquisition acquisition = acquisition(real, xs.subList(0, realRows), ys.subList(0, realRows), params, best,
                        h.pendingX, rng);
                for (double[] u : optimizer.rank(acquisition, incumbents, rng)) {
                    Configuration c = encoding.decode(u);
                    if (!h.seen.contains(c)) {
                        chosen = c;
                        break;
                    }
                }
            }
            if (chosen == null) chosen = RandomStrategy.draw(encoding, rng, h.seen);
            out.add(remember(chosen, h.seen));
            h.pendingX.add(encoding.encode(chosen));
        }
        if (PROFILE) System.err.printf("acquisition: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        return new Proposal(out, new State(params, refresh ? n : previous.fullFitAt()).encode());
    }

    /**
     * With jobs pending, one proposal keeps refining: the minimum of the posterior mean reached by
     * descending from the best success, unless a pending job already lies within
     * {@link #REFINING_RADIUS} of it (or it has been tried). Believer and penalisers send each
     * parallel proposal away from the others; without this rule no worker refines the incumbent
     * with the latest results, which is what drives the final regret. Sequentially, EI alone decides.
     */
    private static Configuration refinement(SpaceEncoding encoding, AcquisitionOptimizer optimizer, GaussianProcess real,
                                            double[] incumbent, History h) {
        double[] u = optimizer.climbFrom(new PosteriorMean(real), incumbent);
        if (alreadyRefined(real.params(), u, h.pendingX)) return null;
        Configuration c = encoding.decode(u);
        return h.seen.contains(c) ? null : c;
    }

    /** Whether a pending job lies within {@link #REFINING_RADIUS} of {@code u} in the kernel's distance. */
    static boolean alreadyRefined(KernelParameters params, double[] u, List<double[]> pending) {
        for (double[] p : pending) if (params.squaredDistance(p, u) <= REFINING_RADIUS * REFINING_RADIUS) return true;
        return false;
    }

    /**
     * With jobs pending: log-EI of the kriging believer (pending points join the posterior at the
     * model's mean), plus a local penaliser around each pending point (González et al. 2016), whose
     * radius shrinks as the point's predicted value approaches the best: near a promising pending
     * point the believer alone would forbid exploitation, the penaliser allows it.
     */
    private static Acquisition acquisition(GaussianProcess real, List<double[]> realX, List<Double> realY,
                                           KernelParameters params, double best, List<double[]> pending, SplittableRandom rng) {
        if (pending.isEmpty()) return new Acquisition(real, best);
        List<double[]> probe = new ArrayList<>(realX);
        for (int i = 0; i < LIPSCHITZ_PROBES; i++) {
            double[] u = new double[realX.get(0).length];
            for (int j = 0; j < u.length; j++) u[j] = rng.nextDouble();
            probe.add(u);
        }
        double lipschitz = PenalisedAcquisition.lipschitz(real, probe);
        return new PenalisedAcquisition(believer(realX, realY, params, real, pending), real, best, pending, lipschitz);
    }

    /** Kriging believer: pending points join the posterior at the model's mean, one after another. */
    private static GaussianProcess believer(List<double[]> realX, List<Double> realY, KernelParameters params,
                                            GaussianProcess real, List<double[]> pending) {
        List<double[]> xs = new ArrayList<>(realX);
        List<Double> ys = new ArrayList<>(realY);
        for (double[] p : pending) {
            xs.add(p);
            ys.add(real.predict(p)[0]);
        }
        return condition(xs, ys, params);
    }

    private static GaussianProcess condition(List<double[]> xs, List<Double> ys, KernelParameters params) {
        return GaussianProcess.condition(xs.toArray(double[][]::new), ys.stream().mapToDouble(Double::doubleValue).toArray(), params);
    }

    /** All rows when they fit the cap; else the best half of the cap and an even spread of the others. */
    static int[] subset(double[] y, int cap) {
        if (y.length <= cap) return IntStream.range(0, y.length).toArray();
        int bestCount = cap / 2;
        int[] byValue = IntStream.range(0, y.length).boxed().sorted(Comparator.comparingDouble(i -> y[i]))
                .mapToInt(Integer::intValue).toArray();
        Set<Integer> chosen = new HashSet<>();
        for (int i = 0; i < bestCount; i++) chosen.add(byValue[i]);
        int[] rest = IntStream.range(0, y.length).filter(i -> !chosen.contains(i)).toArray();
        int others = cap - bestCount;
        for (int k = 0; k < others; k++) chosen.add(rest[(int) ((long) k * rest.length / others)]);
        return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /**
     * What the strategy hands itself: the last kernel parameters (the first start of the next fit)
     * and how many successes there were at the last fit that also started from the defaults. A
     * fresh start is added whenever the successes have grown by a fifth since, so that a stale
     * optimum cannot stick, at a cost that stays logarithmic in the history.
     */
    record State(KernelParameters params, int fullFitAt) {
        String encode() {
            return fullFitAt + ";" + params.encode();
        }

        static State decode(String s, int dimensions) {
            if (s == null || s.isBlank()) return null;
            try {
                String[] parts = s.split(";");
                KernelParameters p = KernelParameters.decode(parts[1]);
                return p.fits(dimensions) ? new State(p, Integer.parseInt(parts[0])) : null;
            } catch (RuntimeException e) {
                return null; // a state from another version or space: fit from scratch
            }
        }
    }

    private static Configuration remember(Configuration c, Set<Configuration> seen) {
        seen.add(c);
        return c;
    }

    /** The history encoded: successes (objective oriented to be minimised), failures, pending, and all configurations. */
    private record History(List<double[]> successX, List<Double> successY, List<double[]> failedX,
                           List<double[]> pendingX, Set<Configuration> seen) {
        static History of(SpaceEncoding encoding, List<Observation> observations, Goal goal) {
            History h = new History(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new HashSet<>());
            for (Observation o : observations) {
                h.seen.add(o.configuration());
                double[] u;
                try {
                    u = encoding.encode(o.configuration());
                } catch (IllegalArgumentException e) {
                    continue; // a configuration from another space (e.g. a warm start): only never repeated
                }
                switch (o.outcome()) {
                    case SUCCEEDED -> {
                        h.successX.add(u);
                        h.successY.add(goal == Goal.MAXIMIZE ? -o.objective() : o.objective());
                    }
                    case FAILED -> h.failedX.add(u);
                    case PENDING -> h.pendingX.add(u);
                }
            }
            return h;
        }
    }
}
