package dev.vernier.protocol.model;

import java.util.Map;

/**
 * Older enum spellings that clients may still send, per enum shape. The seed (the AWS CLI page this
 * project started from) documents {@code OFF}/{@code AUTO} and {@code IDENTICAL_DATA_AND_ALGORITHM}/
 * {@code TRANSFER_LEARNING}; the model spells them {@code Off}/{@code Auto} and
 * {@code IdenticalDataAndAlgorithm}/{@code TransferLearning}. Requests are canonicalised to the
 * model's spelling, so responses always answer with it.
 */
final class EnumAliases {
    private static final Map<String, Map<String, String>> BY_SHAPE = Map.of(
            "TrainingJobEarlyStoppingType", Map.of("OFF", "Off", "AUTO", "Auto"),
            "HyperParameterTuningJobWarmStartType", Map.of(
                    "IDENTICAL_DATA_AND_ALGORITHM", "IdenticalDataAndAlgorithm",
                    "TRANSFER_LEARNING", "TransferLearning"));

    private EnumAliases() {}

    static Map<String, String> forShape(String shapeName) {
        return BY_SHAPE.getOrDefault(shapeName, Map.of());
    }
}
