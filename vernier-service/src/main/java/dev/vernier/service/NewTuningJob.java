package dev.vernier.service;

import dev.vernier.core.store.Tag;
import dev.vernier.core.tuning.TuningPlan;
import java.util.List;
import java.util.Objects;

/**
 * A tuning job to create: its plan, and the request document the store keeps for Describe to echo
 * (the protocol's canonical Create request without its tags).
 */
public record NewTuningJob(String name, TuningPlan plan, String requestDocument, List<Tag> tags) {
    public NewTuningJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(requestDocument, "requestDocument");
        tags = List.copyOf(tags);
    }
}
