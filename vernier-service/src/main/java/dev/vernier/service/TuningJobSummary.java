package dev.vernier.service;

import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningProgress;

/** One tuning job of a listing, with the progress of its training jobs. */
public record TuningJobSummary(TuningJob job, TuningProgress progress) {}
