package dev.vernier.protocol.http;

import java.util.List;
import java.util.Map;

/** Decides whether a request may be served; throws an ApiException (403) when not. */
@FunctionalInterface
public interface RequestAuthenticator {
    void authenticate(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body);
}
