package dev.vernier.protocol.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One API operation: a validated, canonical request in, a response out (never null). */
@FunctionalInterface
public interface Operation {
    JsonNode invoke(ObjectNode request);
}
