package dev.vernier.service;

import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningPlan;
import dev.vernier.core.tuning.TuningProgress;
import java.time.Instant;
import java.util.Optional;

/**
 * What DescribeHyperParameterTuningJob shows: the stored job, its plan, the progress of its
 * training jobs, the best of its and its parents' jobs where that applies, and the time of the answer.
 */
public record TuningJobDetails(TuningJob job, TuningPlan plan, TuningProgress progress,
                               Optional<TrainingJob> overallBest, Instant now) {}
