package dev.vernier.service;

import dev.vernier.core.tuning.TrainingJob;

/**
 * A piece of a training job's log: its bytes from the offset asked for, where to continue, and
 * whether the log is complete (the job has ended and nothing follows).
 */
public record TrainingJobLog(TrainingJob job, byte[] bytes, long nextOffset, boolean endOfLog) {}
