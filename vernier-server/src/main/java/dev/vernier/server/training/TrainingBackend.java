package dev.vernier.server.training;

/**
 * Runs training jobs somewhere (local processes, a cluster). The controller stores every handle
 * it is given ({@link RunHandle#toJson()}) before acting on it, so that after a crash it can call
 * any method again with the last stored handle: every method is idempotent.
 *
 * <p>Errors: {@link UnsupportedTrainingFeatureException} means the job can never run on this
 * backend (the client's fault: a ValidationException at create time, a non-retryable failure at
 * launch); any other exception is an internal error worth retrying.
 */
public interface TrainingBackend {
    /**
     * Checks, without launching anything, that this backend can run the job: its image, channels,
     * output location, resources and network isolation.
     *
     * @throws UnsupportedTrainingFeatureException (or its {@link UnsupportedImageException}) if not
     */
    void check(TrainingJobSpec spec);

    /**
     * Starts the job. Idempotent: if this job was already launched (its directory holds a live or
     * finished run), returns that run's handle instead of starting another.
     */
    RunHandle launch(TrainingJobSpec spec);

    /**
     * Observes a run without blocking: its phase, the metric points read from its log since the
     * handle's offset, and the handle to store next. Enforces MaxRuntimeInSeconds and the stop
     * grace period. Works with a handle stored by an earlier server process (re-adoption). Not
     * safe to call concurrently for the same run.
     */
    RunObservation poll(RunHandle handle);

    /**
     * Asks the run to stop (SIGTERM now, SIGKILL once the grace period has passed, enforced by the
     * next polls) and returns the handle to store. Idempotent: a second request keeps the first
     * request's time and cause. A run that has already ended is left as it is.
     */
    RunHandle stop(RunHandle handle, StopCause cause);

    /** Up to {@code maxBytes} of the run's log from byte {@code offset}, for the log endpoint. */
    LogChunk readLog(RunHandle handle, long offset, int maxBytes);
}
