package dev.vernier.protocol.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits a raw query string into decoded names and values, the form the SDK's canonical request starts from. */
final class QueryParameters {
    private QueryParameters() {}

    /**
     * A '+' stays a '+' (SigV4 clients encode a space as %20), and a name without '=' has an empty value, as
     * SigV4 canonicalisation treats it.
     *
     * @throws IllegalArgumentException on a malformed percent escape
     */
    static Map<String, List<String>> decode(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return parameters;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.computeIfAbsent(decodeComponent(name), n -> new ArrayList<>()).add(decodeComponent(value));
        }
        return parameters;
    }

    private static String decodeComponent(String component) {
        return URLDecoder.decode(component.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
