package dev.vernier.core.space;

import java.util.LinkedHashMap;
import java.util.Map;

/** One point of a search space: a definition and a value for each of its parameters. */
public record Configuration(String definitionName, Map<String, Value> values) {
    public Configuration {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Map<String, String> asHyperparameters() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v.asHyperparameter()));
        return out;
    }
}
