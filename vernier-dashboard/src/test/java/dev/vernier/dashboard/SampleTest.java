package dev.vernier.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.strategy.Goal;
import dev.vernier.core.tuning.MetricValue;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleTest {
    @Test
    void tenThousandJobsAreDrawnAsTheBestAndAnEvenSampleOfOneThousandInOrder() {
        List<TrainingJob> jobs = new ArrayList<>();
        Instant t = Instant.parse("2026-12-04T00:00:00Z");
        for (int i = 1; i <= 10_000; i++) {
            double objective = (i * 7919 % 10_000) / 100.0;
            TrainingJob j = TrainingJob.starting("j-" + i, "arn", "t", i, null, Map.of(), Map.of(), null, "{}", t)
                    .launched(null, t);
            jobs.add(j.finished(TrainingJobStatus.COMPLETED, "Completed", null, false, null,
                    List.of(new MetricValue("loss", objective, t)), objective, null, t.plusSeconds(i), 1L, "done"));
        }
        List<TrainingJob> shown = TuningJobView.sample(jobs, Goal.MINIMIZE);
        assertThat(shown).hasSize(TuningJobView.MAX_POINTS).isSortedAccordingTo(Comparator.comparingInt(TrainingJob::ordinal));
        List<TrainingJob> best = jobs.stream().sorted(Comparator.comparingDouble(TrainingJob::objectiveValue))
                .limit(TuningJobView.BEST_KEPT).toList();
        assertThat(shown).containsAll(best);
        assertThat(shown).doesNotHaveDuplicates();
        assertThat(TuningJobView.sample(jobs.subList(0, 500), Goal.MINIMIZE)).hasSize(500);
    }
}
