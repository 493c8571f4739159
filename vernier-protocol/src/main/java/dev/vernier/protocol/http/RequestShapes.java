package dev.vernier.protocol.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The API model as the protocol layer needs it: which operations exist, input checks, output filtering. */
public interface RequestShapes {
    boolean hasOperation(String operation);

    /** Validates a request body and returns its canonical form; throws ApiException with every violation. */
    ObjectNode validateInput(String operation, JsonNode body);

    /** Keeps only the members of the operation's output shape. */
    ObjectNode shapeOutput(String operation, JsonNode response);
}
