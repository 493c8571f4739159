package dev.vernier.protocol.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.protocol.error.ApiException;
import dev.vernier.protocol.error.ErrorCode;
import java.util.Map;
import java.util.Set;
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
 */
public final class ApiModel {
    private static final String RESOURCE = "/dev/vernier/protocol/model/sagemaker-model.json";

    private final Map<String, ModelLoader.Operation> operations;

    private ApiModel(Map<String, ModelLoader.Operation> operations) {
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
        ModelLoader.Operation op = operation(operation);
        JsonNode request = body == null || body.isNull() || body.isMissingNode()
                ? JsonNodeFactory.instance.objectNode() : body;
        if (op.input() == null) {
            if (!request.isObject()) throw new ApiException(ErrorCode.SERIALIZATION, "The request body must be a JSON object");
            return JsonNodeFactory.instance.objectNode();
        }
        return InputValidator.validate(op.input(), request);
    }

    /** The response trimmed to members of the operation's output shape; {} for operations without output. */
    public ObjectNode shapeOutput(String operation, JsonNode response) {
        ModelLoader.Operation op = operation(operation);
        if (op.output() == null) return JsonNodeFactory.instance.objectNode();
        return OutputShaper.shape(op.output(), response);
    }

    private ModelLoader.Operation operation(String name) {
        ModelLoader.Operation op = name == null ? null : operations.get(name);
        if (op == null) throw new ApiException(ErrorCode.UNKNOWN_OPERATION, "Unknown operation: " + name);
        return op;
    }
}
