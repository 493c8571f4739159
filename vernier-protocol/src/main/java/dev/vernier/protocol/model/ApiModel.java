package dev.vernier.protocol.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.error.ApiException;
import dev.vernier.protocol.error.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The operations Vernier serves and their shapes, from the slice of botocore's SageMaker model in
 * {@code sagemaker-model.json}. Loaded once; immutable and safe to share between threads.
 *
 * <p>{@link #validateInput} checks a request against its input shape and answers its canonical
 * copy; {@link #shapeOutput} trims a response to the output shape. Error paths are spelled as AWS
 * spells them: lower-camel member names joined by dots, list elements as {@code name.1.member}
 * (1-based), e.g. {@code hyperParameterTuningJobConfig.parameterRanges.integerParameterRanges.1.member.name};
 * map entries are reported at the map's path with AWS's "Map keys/value must satisfy constraint".
 *
 * <p>The CLI builds its commands from the same loaded model: {@link #operations} with their
 * {@link Shape}s, and {@link #validationError} for checking a request before it is sent.
 */
public final class ApiModel {
    private static final String RESOURCE = "/dev/vernier/protocol/model/sagemaker-model.json";

    /** An operation and its request and response shapes; {@code input} or {@code output} is null when it has none. */
    public record Operation(String name, Shape input, Shape output) {}

    private final Map<String, Operation> operations;

    private ApiModel(Map<String, Operation> operations) {
        this.operations = operations;
    }

    private static final class Holder {
        static final ApiModel SAGEMAKER = new ApiModel(ModelLoader.load(RESOURCE));
    }

    /** The SageMaker model, loaded on first use. */
    public static ApiModel sagemaker() {
        return Holder.SAGEMAKER;
    }

    public boolean hasOperation(String name) {
        return name != null && operations.containsKey(name);
    }

    /** The operations this model serves, sorted by name. */
    public Set<String> operationNames() {
        return new TreeSet<>(operations.keySet());
    }

    /** The operations this model serves with their shapes, sorted by name. */
    public List<Operation> operations() {
        return List.copyOf(new TreeMap<>(operations).values());
    }

    /**
     * Checks {@code body} against the operation's input shape and answers the canonical request:
     * members outside the model dropped (AWS ignores them), enum aliases replaced by the model's
     * spelling, members in model order, explicit nulls removed, timestamps as epoch seconds.
     *
     * @throws ApiException {@code ValidationException} listing every violation at once;
     *     {@code SerializationException} when a value has the wrong JSON type;
     *     {@code UnknownOperationException} for an operation this model does not serve
     */
    public ObjectNode validateInput(String operation, JsonNode body) {
        Operation op = operation(operation);
        JsonNode request = body == null || body.isNull() || body.isMissingNode()
                ? JsonNodeFactory.instance.objectNode() : body;
        if (op.input() == null) {
            if (!request.isObject()) throw new ApiException(ErrorCode.SERIALIZATION, "The request body must be a JSON object");
            return JsonNodeFactory.instance.objectNode();
        }
        return InputValidator.validate(op.input(), request);
    }

    /**
     * What {@link #validateInput} says of this request: empty when it would pass, else the message of
     * the error it would throw. For clients that check a request before sending it.
     */
    public Optional<String> validationError(String operation, JsonNode body) {
        try {
            validateInput(operation, body);
            return Optional.empty();
        } catch (ApiException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The response trimmed to members of the operation's output shape; {} for operations without output. */
    public ObjectNode shapeOutput(String operation, JsonNode response) {
        Operation op = operation(operation);
        if (op.output() == null) return JsonNodeFactory.instance.objectNode();
        return OutputShaper.shape(op.output(), response);
    }

    private Operation operation(String name) {
        Operation op = name == null ? null : operations.get(name);
        if (op == null) throw new ApiException(ErrorCode.UNKNOWN_OPERATION, "Unknown operation: " + name);
        return op;
    }
}
