package dev.vernier.protocol.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A Vernier extension served at {@code GET <prefix>...}, SigV4-authenticated like every operation. */
@FunctionalInterface
public interface GetRoute {
    /** @param rest the path after the route's prefix, decoded */
    JsonNode get(String rest, Map<String, String> query);
}
