package dev.vernier.core.completion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.strategy.Goal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionTest {
    private static List<FinishedObjective> objectives(double... values) {
        List<FinishedObjective> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) out.add(new FinishedObjective(values[i], Instant.ofEpochSecond(100 + i)));
        return out;
    }

    @Test
    void aTargetIsReachedWhenTheBestEqualsOrBeatsIt() {
        assertThat(Completion.evaluate(new CompletionCriteria(2.0, 0, false), Goal.MINIMIZE, objectives(5, 2.5)).finished()).isFalse();
        assertThat(Completion.evaluate(new CompletionCriteria(2.0, 0, false), Goal.MINIMIZE, objectives(5, 2.0)).reason())
                .contains("TargetObjectiveMetricValue");
        assertThat(Completion.evaluate(new CompletionCriteria(0.9, 0, false), Goal.MAXIMIZE, objectives(0.5, 0.95)).finished()).isTrue();
    }

    @Test
    void jobsThatGainLessThanOnePercentCountAsNotImprovingUntilOneDoes() {
        // 100 -> 99.5 is a 0.5% gain (not improving), 99.2 too, 90 improves, then two small ones
        var r = Completion.evaluate(new CompletionCriteria(null, 3, false), Goal.MINIMIZE, objectives(100, 99.5, 99.2, 90, 89.5, 120));
        assertThat(r.jobsNotImproving()).isEqualTo(2);
        assertThat(r.finished()).isFalse();
        r = Completion.evaluate(new CompletionCriteria(null, 3, false), Goal.MINIMIZE, objectives(100, 99.5, 99.2, 90, 89.5, 120, 95));
        assertThat(r.jobsNotImproving()).isEqualTo(3);
        assertThat(r.reason()).contains("3 training jobs in a row");
    }

    @Test
    void convergenceNeedsTenJobsAndAtMostOnePercentGainOverTheLastFive() {
        double[] values = {100, 50, 40, 30, 20, 19, 18.9, 18.8, 18.85, 18.9, 18.81, 18.82};
        var r = Completion.evaluate(new CompletionCriteria(null, 0, true), Goal.MINIMIZE, objectives(values));
        // after 11 jobs the best is 18.8 and before the last five it was 19: a 1.05% gain, not converged;
        // after 12 it was 18.9 before the last five: 0.53%, converged when the 12th job finished
        assertThat(r.convergedAt()).isEqualTo(Instant.ofEpochSecond(111));
        assertThat(r.reason()).isEqualTo("the objective converged");
        assertThat(Completion.evaluate(CompletionCriteria.NONE, Goal.MINIMIZE, objectives(values)).finished()).isFalse();
    }
}
