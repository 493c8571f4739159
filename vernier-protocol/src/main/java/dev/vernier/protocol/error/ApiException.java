package dev.vernier.protocol.error;

import java.util.List;

/** An error that reaches the client as an AWS error body: {@code {"__type": code, "message": ...}}. */
public class ApiException extends RuntimeException {
    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static ApiException validation(String message) {
        return new ApiException(ErrorCode.VALIDATION, message);
    }

    /**
     * All validation errors of one request in SageMaker's wording:
     * "2 validation errors detected: Value ... at 'a.b' failed to satisfy constraint: ...; Value ...".
     */
    public static ApiException validation(List<String> errors) {
        if (errors.size() == 1 && !errors.get(0).startsWith("Value ")) return validation(errors.get(0));
        String head = errors.size() == 1 ? "1 validation error detected: "
                : errors.size() + " validation errors detected: ";
        return validation(head + String.join("; ", errors));
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorCode.RESOURCE_NOT_FOUND, message);
    }

    public static ApiException inUse(String message) {
        return new ApiException(ErrorCode.RESOURCE_IN_USE, message);
    }
}
