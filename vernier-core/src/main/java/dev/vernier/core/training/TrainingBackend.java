package dev.vernier.core.training;

/**
 * Runs training jobs somewhere (local processes, containers, a cluster). The controller stores every
 * handle it is given before acting on it, so that after a crash (or in another server process) it
 * can call any method again with the last stored handle: every method is idempotent. A handle is
 * opaque to the controller; each backend writes and reads its own.
 *
 * <p>Errors: {@link UnsupportedTrainingFeatureException} means the job can never run on this
 * backend (the client's fault: a ValidationException at create time, a non-retryable failure at
 * launch); any other exception is an internal error worth retrying.
 */
public interface TrainingBackend extends AutoCloseable {
    /**
     * Checks, without launching anything, that this backend can run the job: its image, channels,
     * output location, resources and network isolation.
     *
     * @throws UnsupportedTrainingFeatureException (or its {@link UnsupportedImageException}) if not
     */
    void check(TrainingJobSpec spec);

    /**
     * Starts the job. Idempotent: if this job was already launched (by this or an earlier server
     * process), returns that run instead of starting another.
     */
    LaunchedRun launch(TrainingJobSpec spec);

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

    /**
     * Runs {@code listener} (which must be quick) whenever a run this process is watching ends, so
     * that the controller observes it at once instead of at its next periodic pass. Optional: a
     * backend that cannot tell leaves its runs to be found by polling.
     */
    default void onRunExit(Runnable listener) {}

    /**
     * Releases what the backend holds in this server process (connections, watching threads).
     * Runs keep going: the next server re-adopts them from their handles.
     */
    @Override
    default void close() {}
}
