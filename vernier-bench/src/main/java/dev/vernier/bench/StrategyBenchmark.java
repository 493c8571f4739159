package dev.vernier.bench;

import dev.vernier.core.space.Configuration;
import dev.vernier.core.strategy.Goal;
import dev.vernier.core.strategy.Observation;
import dev.vernier.core.strategy.Proposal;
import dev.vernier.core.strategy.ProposalRequest;
import dev.vernier.core.strategies.Strategies;
import dev.vernier.core.strategy.Strategy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Runs strategies on the test problems of issue 4 and prints a markdown table: median and
 * interquartile range of the final simple regret (best found minus global minimum) over seeds,
 * and the median time of one {@code propose} call.
 *
 * <p>{@code --parallel 4} simulates four workers: four proposals up front, then each time the
 * oldest running job finishes, one new proposal with the other three still pending (asynchronous
 * workers, as with training jobs of varying length). With {@code --schedule batch} the four finish
 * together and the next four are asked for in one call (synchronous batches, as with jobs of equal
 * length that the controller sees end in the same pass). {@code --noise SD} adds Gaussian noise of
 * deviation {@code SD} to every observed value (drawn from the seed and the job's index, so runs
 * repeat); the regret is then that of the noise-free objective at the configuration with the best
 * observed value, which is what a user of a noisy training metric would deploy.
 *
 * <pre>java dev.vernier.bench.StrategyBenchmark [--problems Branin,Hartmann-3] [--seeds 15] [--first-seed 0] [--evals 50]
 *      [--parallel 1|4] [--schedule async|batch] [--noise SD] [--strategy Bayesian|Random]</pre>
 */
public final class StrategyBenchmark {
    /** Suggestion times are thread CPU time: the shared 2-core machine makes wall time noisy. */
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        List<String> problems = null;
        List<String> strategies = List.of("Bayesian");
        int seeds = 15, evals = 50, firstSeed = 0;
        List<Integer> parallel = List.of(1);
        boolean batch = false;
        double noise = 0;
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--problems" -> problems = List.of(v.split(","));
                case "--seeds" -> seeds = Integer.parseInt(v);
                case "--first-seed" -> firstSeed = Integer.parseInt(v);
                case "--evals" -> evals = Integer.parseInt(v);
                case "--parallel" -> parallel = Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
                case "--strategy" -> strategies = List.of(v.split(","));
                case "--noise" -> noise = Double.parseDouble(v);
                case "--schedule" -> batch = switch (v) {
                    case "async" -> false;
                    case "batch" -> true;
                    default -> throw new IllegalArgumentException("--schedule is async or batch, not " + v);
                };
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println("| problem | strategy | parallel | median regret | IQR (q25 – q75) | median suggest time (CPU) | median model-based suggest time (CPU) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Problem p : Problems.all()) {
            if (problems != null && !problems.contains(p.name())) continue;
            for (String s : strategies)
                for (int workers : parallel) {
                    double[] regrets = new double[seeds];
                    List<Double> times = new ArrayList<>();
                    List<Double> modelTimes = new ArrayList<>();
                    for (int seed = 0; seed < seeds; seed++)
                        regrets[seed] = run(p, Strategies.forName(s), firstSeed + seed, evals, workers, batch, noise, times, modelTimes) - p.optimum();
                    if (Boolean.getBoolean("vernier.bench.perSeed")) System.out.println("per seed " + p.name() + " " + workers + ": "
                            + Arrays.stream(regrets).mapToObj(StrategyBenchmark::fmt).toList());
                    Arrays.sort(regrets);
                    System.out.printf("| %s | %s | %d | %s | %s – %s | %.1f ms | %s |%n", p.name(), s, workers,
                            fmt(quantile(regrets, 0.5)), fmt(quantile(regrets, 0.25)), fmt(quantile(regrets, 0.75)),
                            median(times), modelTimes.isEmpty() ? "–" : String.format("%.1f ms", median(modelTimes)));
                }
        }
    }

    /**
     * One run; returns the noise-free objective at the best observed configuration. Records the time
     * of every propose call. In {@code batch} mode a proposal is asked for only when no job is running.
     */
    static double run(Problem p, Strategy strategy, long seed, int evals, int workers, boolean batch, double noise,
                      List<Double> times, List<Double> modelTimes) {
        java.util.SplittableRandom noiseSource = new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
        List<Observation> history = new ArrayList<>();
        Deque<Integer> running = new ArrayDeque<>();
        String state = null;
        double best = Double.POSITIVE_INFINITY;
        double bestTrue = Double.POSITIVE_INFINITY;
        int proposed = 0;
        while (proposed < evals || !running.isEmpty()) {
            if (running.size() < workers && proposed < evals && (!batch || running.isEmpty())) {
                int want = Math.min(workers - running.size(), evals - proposed);
                long start = CPU.getCurrentThreadCpuTime();
                Proposal proposal = strategy.propose(new ProposalRequest(p.space(), Goal.MINIMIZE, history, state, seed, want));
                double ms = (CPU.getCurrentThreadCpuTime() - start) / 1e6;
                times.add(ms);
                if (proposal.state() != null && !proposal.state().equals(state)) modelTimes.add(ms);
                state = proposal.state();
                for (Configuration c : proposal.configurations()) {
                    running.addLast(history.size());
                    history.add(Observation.pending(c));
                    proposed++;
                }
                if (proposal.configurations().isEmpty()) break;
                continue;
            }
            int index = running.removeFirst();
            Configuration c = history.get(index).configuration();
            double truth = p.objective().applyAsDouble(c);
            double value = noise == 0 ? truth : truth + noise * noiseSource.nextGaussian();
            history.set(index, Observation.succeeded(c, value));
            if (value < best) {
                best = value;
                bestTrue = truth;
            }
        }
        return bestTrue;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length == 0 ? Double.NaN : quantile(v, 0.5);
    }

    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    static String fmt(double v) {
        if (v == 0) return "0";
        if (Math.abs(v) >= 1000) return String.format("%,.0f", v);
        if (Math.abs(v) >= 0.01) return String.format("%.3g", v);
        return String.format("%.2g", v);
    }
}
