package dev.vernier.core.strategy.hyperband;

import dev.vernier.core.earlystopping.EarlyStoppingRule;
import dev.vernier.core.strategy.Goal;
import java.util.ArrayList;
import java.util.List;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020) in its stopping form, for the jobs of one
 * bracket: jobs run with MaxResource epochs, and at each rung a job continues (is promoted) when its
 * objective at that step is among the best {@code 1/eta} of all jobs of the bracket that have reached
 * that step, itself included; otherwise it stops. Until {@code eta} jobs have reached a rung, a job
 * continues only if it is the best there (Optuna's SuccessiveHalvingPruner, since a waiting job cannot
 * be paused and resumed). A job that reaches MaxResource is stopped.
 *
 * @param peers in {@link #judge}: the objective series of the other jobs of the same bracket,
 *              running or finished
 */
public record SuccessiveHalvingRule(HyperbandSchedule schedule, int bracket) implements EarlyStoppingRule {

    public boolean isRung(int step) {
        return schedule.rungs(bracket).contains(step);
    }

    @Override
    public Verdict judge(Goal goal, List<Double> running, List<List<Double>> peers) {
        int step = running.size();
        if (step >= schedule.maxResource())
            return new Verdict(true, "reached MaxResource " + schedule.maxResource());
        if (!isRung(step)) return Verdict.carryOn("step " + step + " is not a rung of bracket " + bracket);
        double value = running.get(step - 1);
        List<Double> competing = new ArrayList<>();
        competing.add(value);
        for (List<Double> p : peers) if (p.size() >= step) competing.add(p.get(step - 1));
        competing.sort(goal == Goal.MINIMIZE ? Double::compare : (a, b) -> Double.compare(b, a));
        int promoted = Math.max(1, competing.size() / schedule.eta());
        double threshold = competing.get(promoted - 1);
        if (value == threshold || goal.isBetter(value, threshold))
            return Verdict.carryOn("promoted at rung " + step + " of bracket " + bracket + ": among the best " + promoted
                    + " of " + competing.size());
        return new Verdict(true, "objective " + value + " at rung " + step + " of bracket " + bracket
                + " is not among the best " + promoted + " of " + competing.size() + " (threshold " + threshold + ")");
    }
}
