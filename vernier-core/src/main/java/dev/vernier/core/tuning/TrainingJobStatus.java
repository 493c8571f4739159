package dev.vernier.core.tuning;

/** SageMaker's {@code TrainingJobStatus}. Finished jobs are never rewritten. */
public enum TrainingJobStatus {
    IN_PROGRESS("InProgress"),
    STOPPING("Stopping"),
    COMPLETED("Completed"),
    FAILED("Failed"),
    STOPPED("Stopped");

    private final String apiName;

    TrainingJobStatus(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static TrainingJobStatus fromApiName(String name) {
        for (TrainingJobStatus s : values()) if (s.apiName.equals(name)) return s;
        throw new IllegalArgumentException("unknown training job status " + name);
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == STOPPED;
    }
}
