package dev.vernier.core.strategy.hyperband;

import java.util.ArrayList;
import java.util.List;

/**
 * Hyperband's brackets for a resource (objective data points, i.e. epochs) between MinResource and
 * MaxResource, with reduction factor {@code eta} (3, Hyperband's and Optuna's default; SageMaker does
 * not publish its own). There are {@code S = floor(log_eta(max / min)) + 1} brackets; bracket
 * {@code b} judges its jobs at rungs {@code min * eta^(b + k)} below MaxResource, and every job stops
 * at MaxResource. Bracket 0 is the most aggressive; the last bracket lets every job run to the end.
 *
 * <p>Jobs are spread over brackets as Hyperband spreads configurations: bracket {@code b} gets a share
 * proportional to {@code ceil(S / (s + 1) * eta^s)} with {@code s = S - 1 - b}. The bracket of a job is
 * a pure function of the job's ordinal, so it needs no stored state and survives restarts.
 */
public record HyperbandSchedule(int minResource, int maxResource, int eta) {
    public static final int DEFAULT_ETA = 3;

    public HyperbandSchedule {
        if (minResource < 1 || maxResource < minResource) throw new IllegalArgumentException("need 1 <= min <= max");
        if (eta < 2) throw new IllegalArgumentException("eta < 2");
    }

    public static HyperbandSchedule of(int minResource, int maxResource) {
        return new HyperbandSchedule(minResource, maxResource, DEFAULT_ETA);
    }

    public int brackets() {
        int s = 1;
        for (long r = (long) minResource * eta; r <= maxResource; r *= eta) s++;
        return s;
    }

    /** The steps at which a job of {@code bracket} is judged, ascending; the last is MaxResource. */
    public List<Integer> rungs(int bracket) {
        List<Integer> out = new ArrayList<>();
        long r = minResource;
        for (int i = 0; i < bracket; i++) r *= eta;
        for (; r < maxResource; r *= eta) out.add((int) r);
        out.add(maxResource);
        return out;
    }

    /**
     * The bracket of the job with this ordinal (from 1): smooth weighted round robin over the brackets'
     * weights, so that any run of consecutive jobs is spread in Hyperband's proportions (a random draw
     * per job, as Optuna's pruner does, varies too much over the few dozen jobs of a tuning job).
     */
    public int bracketOf(int ordinal) {
        int n = brackets();
        long[] weights = new long[n];
        long total = 0;
        for (int b = 0; b < n; b++) {
            int s = n - 1 - b;
            weights[b] = (long) Math.ceil((double) n / (s + 1) * Math.pow(eta, s));
            total += weights[b];
        }
        long[] current = new long[n];
        int chosen = 0;
        for (int k = 0; k < Math.max(1, ordinal); k++) {
            chosen = 0;
            for (int b = 0; b < n; b++) {
                current[b] += weights[b];
                if (current[b] > current[chosen]) chosen = b;
            }
            current[chosen] -= total;
        }
        return chosen;
    }
}
