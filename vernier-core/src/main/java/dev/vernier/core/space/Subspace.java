package dev.vernier.core.space;

import java.util.List;
import java.util.Objects;

/**
 * The ranges of one training-job definition. A tuning job with the singular
 * {@code TrainingJobDefinition} has one subspace whose definition name is {@code null}.
 */
public record Subspace(String definitionName, List<Parameter> parameters) {
    public Subspace {
        parameters = List.copyOf(parameters);
        if (parameters.stream().map(Parameter::name).distinct().count() != parameters.size())
            throw new IllegalArgumentException("duplicate parameter names in " + definitionName);
    }

    public Parameter parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter " + name));
    }

    public boolean sameDefinition(String other) {
        return Objects.equals(definitionName, other);
    }
}
