package dev.vernier.core.space;

import java.util.List;
import java.util.Objects;

/** A choice among distinct string values, in the order the user gave them. */
public record CategoricalParameter(String name, List<String> values) implements Parameter {
    public CategoricalParameter {
        Objects.requireNonNull(name, "name");
        values = List.copyOf(values);
        if (values.isEmpty()) throw new IllegalArgumentException(name + ": no values");
        if (values.stream().distinct().count() != values.size())
            throw new IllegalArgumentException(name + ": duplicate values");
    }
}
