package dev.vernier.core.tuning;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of a tuning job, written as a transition table so that every allowed move is in
 * one place. Names are SageMaker's {@code HyperParameterTuningJobStatus} values.
 */
public enum TuningJobStatus {
    IN_PROGRESS("InProgress"),
    STOPPING("Stopping"),
    COMPLETED("Completed"),
    FAILED("Failed"),
    STOPPED("Stopped");

    private static final Map<TuningJobStatus, Set<TuningJobStatus>> NEXT = Map.of(
            IN_PROGRESS, EnumSet.of(STOPPING, COMPLETED, FAILED),
            STOPPING, EnumSet.of(STOPPED, FAILED),
            COMPLETED, EnumSet.noneOf(TuningJobStatus.class),
            FAILED, EnumSet.noneOf(TuningJobStatus.class),
            STOPPED, EnumSet.noneOf(TuningJobStatus.class));

    private final String apiName;

    TuningJobStatus(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static TuningJobStatus fromApiName(String name) {
        for (TuningJobStatus s : values()) if (s.apiName.equals(name)) return s;
        throw new IllegalArgumentException("unknown tuning job status " + name);
    }

    public boolean canMoveTo(TuningJobStatus next) {
        return NEXT.get(this).contains(next);
    }

    public boolean isTerminal() {
        return NEXT.get(this).isEmpty();
    }
}
