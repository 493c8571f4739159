package dev.vernier.core.tuning;

/** SageMaker's {@code ObjectiveStatus}: whether a training job produced its objective metric. */
public enum ObjectiveStatus {
    PENDING("Pending"),
    SUCCEEDED("Succeeded"),
    FAILED("Failed");

    private final String apiName;

    ObjectiveStatus(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static ObjectiveStatus fromApiName(String name) {
        for (ObjectiveStatus s : values()) if (s.apiName.equals(name)) return s;
        throw new IllegalArgumentException("unknown objective status " + name);
    }
}
