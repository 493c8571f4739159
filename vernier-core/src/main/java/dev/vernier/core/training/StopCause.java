package dev.vernier.core.training;

/** Why a run was asked to stop; decides its SageMaker secondary status. */
public enum StopCause {
    /** StopTrainingJob or StopHyperParameterTuningJob: Stopped / Stopped. */
    USER_REQUEST,
    /** MaxRuntimeInSeconds elapsed: Stopped / MaxRuntimeExceeded. */
    MAX_RUNTIME_EXCEEDED,
    /** The tuning job's early-stopping rule: Stopped / Stopped. */
    EARLY_STOPPING
}
