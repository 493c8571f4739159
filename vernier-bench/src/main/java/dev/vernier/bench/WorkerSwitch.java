package dev.vernier.bench;

import dev.vernier.core.space.Configuration;
import dev.vernier.core.strategy.*;
import java.util.*;

/** Runs with `before` workers until `switchAt` proposals, then `after` workers. Prints per-seed final regret. */
public final class WorkerSwitch {
    public static void main(String[] a) {
        String prob = a[0]; int before = Integer.parseInt(a[1]), after = Integer.parseInt(a[2]), switchAt = Integer.parseInt(a[3]);
        int seeds = Integer.parseInt(a[4]); int evals = a.length > 5 ? Integer.parseInt(a[5]) : 50;
        Problem p = Problems.all().stream().filter(x -> x.name().equals(prob)).findFirst().orElseThrow();
        List<String> out = new ArrayList<>();
        for (long seed = 0; seed < seeds; seed++) {
            Strategy strategy = Strategies.forName("Bayesian");
            List<Observation> history = new ArrayList<>();
            Deque<Integer> running = new ArrayDeque<>();
            String state = null; int proposed = 0; double best = Double.POSITIVE_INFINITY;
            while (proposed < evals || !running.isEmpty()) {
                int workers = proposed < switchAt ? before : after;
                if (running.size() < workers && proposed < evals) {
                    Proposal pr = strategy.propose(new ProposalRequest(p.space(), Goal.MINIMIZE, history, state, seed, 1));
                    state = pr.state();
                    for (Configuration c : pr.configurations()) { running.addLast(history.size()); history.add(Observation.pending(c)); proposed++; }
                    continue;
                }
                int index = running.removeFirst();
                Configuration c = history.get(index).configuration();
                double v = p.objective().applyAsDouble(c);
                best = Math.min(best, v);
                history.set(index, Observation.succeeded(c, v));
            }
            out.add(StrategyBenchmark.fmt(best - p.optimum()));
        }
        System.out.println("per seed " + prob + " " + before + ">" + after + "@" + switchAt + ": " + out);
    }
}
