package dev.vernier.bench;

import dev.vernier.core.space.Configuration;
import dev.vernier.core.strategy.*;
import java.util.*;

public final class RegretTrace {
    public static void main(String[] a) {
        String prob = a[0]; int workers = Integer.parseInt(a[1]); int evals = 50;
        Problem p = Problems.all().stream().filter(x -> x.name().equals(prob)).findFirst().orElseThrow();
        for (int k = 2; k < a.length; k++) {
            long seed = Long.parseLong(a[k]);
            Strategy strategy = Strategies.forName("Bayesian");
            List<Observation> history = new ArrayList<>();
            Deque<Integer> running = new ArrayDeque<>();
            String state = null; int proposed = 0;
            double[] val = new double[evals];
            while (proposed < evals || !running.isEmpty()) {
                if (running.size() < workers && proposed < evals) {
                    int want = Math.min(workers - running.size(), evals - proposed);
                    Proposal pr = strategy.propose(new ProposalRequest(p.space(), Goal.MINIMIZE, history, state, seed, want));
                    state = pr.state();
                    for (Configuration c : pr.configurations()) { running.addLast(history.size()); history.add(Observation.pending(c)); proposed++; }
                    continue;
                }
                int index = running.removeFirst();
                Configuration c = history.get(index).configuration();
                double v = p.objective().applyAsDouble(c);
                val[index] = v - p.optimum();
                history.set(index, Observation.succeeded(c, v));
            }
            StringBuilder sb = new StringBuilder("seed " + seed + " w" + workers + ":");
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < evals; i++) { best = Math.min(best, val[i]); sb.append(String.format(" %d:%.1e/%.1e", i, val[i], best)); }
            System.out.println(sb);
        }
    }
}
