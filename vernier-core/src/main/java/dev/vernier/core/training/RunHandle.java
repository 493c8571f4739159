package dev.vernier.core.training;

import java.util.Objects;

/**
 * What a backend needs to find a run again, also from another server process: text that only the
 * backend that wrote it reads. The controller stores it before acting on it and hands it back
 * unchanged; two handles are the same run state when their texts are equal.
 */
public record RunHandle(String value) {
    public RunHandle {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) throw new IllegalArgumentException("a run handle must not be blank");
    }
}
