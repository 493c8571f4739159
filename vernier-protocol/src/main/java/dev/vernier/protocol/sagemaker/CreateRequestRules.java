package dev.vernier.protocol.sagemaker;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Semantic checks of a canonical CreateHyperParameterTuningJob request; throws ApiException listing every problem. */
@FunctionalInterface
public interface CreateRequestRules {
    void check(ObjectNode canonicalRequest);
}
