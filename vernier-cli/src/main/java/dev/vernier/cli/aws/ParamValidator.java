package dev.vernier.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vernier.protocol.model.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of botocore's {@code ParamValidator} that the AWS CLI runs before it sends a request and
 * the server cannot: members missing or unknown at every level of structures, lists and maps, named
 * by their path ({@code TrainingJobDefinition}, {@code HyperParameterTuningJobConfig.ParameterRanges
 * .ContinuousParameterRanges[0]}, {@code Environment.KEY}) in botocore's words and order. SageMaker
 * itself ignores unknown members, so a misspelled one would otherwise be dropped without a word.
 * Types and value constraints are left to the server, which reports them as a ValidationException.
 */
public final class ParamValidator {
    private ParamValidator() {}

    /** Every error in {@code request} against {@code input}, in the order botocore reports them; empty when none. */
    public static List<String> errors(Shape input, JsonNode request) {
        List<String> errors = new ArrayList<>();
        if (input != null) validate(input, request, "", errors);
        return errors;
    }

    private static void validate(Shape shape, JsonNode value, String name, List<String> errors) {
        if (value == null || value.isNull()) return;
        switch (shape.kind()) {
            case STRUCTURE -> {
                if (!value.isObject()) return;
                for (Shape.Member m : shape.members()) {
                    if (m.required() && !value.has(m.name())) {
                        errors.add("Missing required parameter in " + label(name) + ": \"" + m.name() + "\"");
                    }
                }
                List<String> known = new ArrayList<>();
                for (String field : (Iterable<String>) value::fieldNames) {
                    if (shape.member(field).isPresent()) {
                        known.add(field);
                    } else {
                        errors.add("Unknown parameter in " + label(name) + ": \"" + field + "\", must be one of: "
                                + String.join(", ", shape.members().stream().map(Shape.Member::name).toList()));
                    }
                }
                for (String field : known) validate(shape.member(field).orElseThrow().shape(), value.get(field), name + "." + field, errors);
            }
            case LIST -> {
                if (!value.isArray()) return;
                for (int i = 0; i < value.size(); i++) validate(shape.element(), value.get(i), name + "[" + i + "]", errors);
            }
            case MAP -> {
                if (!value.isObject()) return;
                for (Map.Entry<String, JsonNode> e : value.properties()) validate(shape.value(), e.getValue(), name + "." + e.getKey(), errors);
            }
            default -> { }
        }
    }

    /** botocore's {@code _get_name}: "input" for the request itself, else the path without its leading dot. */
    private static String label(String name) {
        return name.isEmpty() ? "input" : name.startsWith(".") ? name.substring(1) : name;
    }
}
