package dev.vernier.core.tuning;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * SageMaker's {@code TrainingJobStatus}, with its lifecycle as a transition table. Finished jobs are
 * never rewritten. A stopping job usually ends Stopped, but may still have completed or failed on its
 * own before the stop reached it.
 */
public enum TrainingJobStatus {
    IN_PROGRESS("InProgress"),
    STOPPING("Stopping"),
    COMPLETED("Completed"),
    FAILED("Failed"),
    STOPPED("Stopped");

    private static final Map<TrainingJobStatus, Set<TrainingJobStatus>> NEXT = Map.of(
            IN_PROGRESS, EnumSet.of(STOPPING, COMPLETED, FAILED, STOPPED),
            STOPPING, EnumSet.of(STOPPED, COMPLETED, FAILED),
            COMPLETED, EnumSet.noneOf(TrainingJobStatus.class),
            FAILED, EnumSet.noneOf(TrainingJobStatus.class),
            STOPPED, EnumSet.noneOf(TrainingJobStatus.class));

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

    public boolean canMoveTo(TrainingJobStatus next) {
        return NEXT.get(this).contains(next);
    }

    public boolean isTerminal() {
        return NEXT.get(this).isEmpty();
    }
}
