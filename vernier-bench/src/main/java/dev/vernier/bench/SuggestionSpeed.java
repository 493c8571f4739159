package dev.vernier.bench;

import dev.vernier.core.space.Configuration;
import dev.vernier.core.space.SpaceEncoding;
import dev.vernier.core.strategy.Goal;
import dev.vernier.core.strategy.Observation;
import dev.vernier.core.strategy.Proposal;
import dev.vernier.core.strategy.ProposalRequest;
import dev.vernier.core.strategies.Strategies;
import dev.vernier.core.strategy.Strategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Time of one Bayesian suggestion with a long history: Hartmann-6 (6-D) with {@code n} random
 * finished observations. "warm" hands over the state of a suggestion made one observation
 * earlier (as the controller does), "cold" has no state. Median over repetitions.
 *
 * <pre>java dev.vernier.bench.SuggestionSpeed [--sizes 100,1000] [--repeats 11] [--pending 0]</pre>
 */
public final class SuggestionSpeed {
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int[] sizes = {100, 1000};
        int repeats = 11;
        int pending = 0;
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--sizes")) sizes = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
            else if (args[i].equals("--repeats")) repeats = Integer.parseInt(args[i + 1]);
            else if (args[i].equals("--pending")) pending = Integer.parseInt(args[i + 1]);
            else throw new IllegalArgumentException("unknown option " + args[i]);
        }
        Problem p = Problems.all().stream().filter(x -> x.name().equals("Hartmann-6")).findFirst().orElseThrow();
        Strategy bayes = Strategies.forName("Bayesian");
        System.out.println("| observations | dimensions | median warm suggestion (CPU) | (wall) | median cold suggestion (wall) |");
        System.out.println("|---|---|---|---|---|");
        // JIT warm-up, as in a long-running server: a few suggestions that are not timed
        for (int r = 0; r < 3; r++) bayes.propose(new ProposalRequest(p.space(), Goal.MINIMIZE, history(p, 100, 99 + r), null, r, 1));
        for (int n : sizes) {
            double[] warm = new double[repeats];
            double[] cold = new double[repeats];
            double[] warmCpu = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                List<Observation> history = new ArrayList<>(history(p, n, r));
                // the last few jobs still running, as with parallel workers
                for (int k = n - pending; k < n; k++) history.set(k, Observation.pending(history.get(k).configuration()));
                List<Observation> shorter = history.subList(0, n - 1);
                String state = bayes.propose(new ProposalRequest(p.space(), Goal.MINIMIZE, shorter, null, r, 1)).state();
                long t0 = System.nanoTime();
                long c0 = CPU.getCurrentThreadCpuTime();
                bayes.propose(new ProposalRequest(p.space(), Goal.MINIMIZE, history, state, r, 1));
                warm[r] = (System.nanoTime() - t0) / 1e6;
                warmCpu[r] = (CPU.getCurrentThreadCpuTime() - c0) / 1e6;
                t0 = System.nanoTime();
                Proposal c = bayes.propose(new ProposalRequest(p.space(), Goal.MINIMIZE, history, null, r, 1));
                cold[r] = (System.nanoTime() - t0) / 1e6;
                if (c.configurations().isEmpty()) throw new IllegalStateException("no proposal");
            }
            Arrays.sort(warm);
            Arrays.sort(cold);
            Arrays.sort(warmCpu);
            System.out.printf("| %d | 6 | %.1f ms | %.1f ms | %.1f ms |%n", n, warmCpu[repeats / 2], warm[repeats / 2], cold[repeats / 2]);
        }
    }

    private static List<Observation> history(Problem p, int n, long seed) {
        SpaceEncoding e = new SpaceEncoding(p.space());
        SplittableRandom rng = new SplittableRandom(seed);
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Configuration c = e.random(rng);
            out.add(Observation.succeeded(c, p.objective().applyAsDouble(c)));
        }
        return out;
    }
}
