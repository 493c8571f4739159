package dev.vernier.protocol.error;

/**
 * Every error code Vernier answers with, and the HTTP status it travels with. Codes are classed by
 * what the caller should do: fix the request (400), fix the credentials (403), retry (throttling,
 * internal).
 */
public enum ErrorCode {
    VALIDATION("ValidationException", 400),
    RESOURCE_NOT_FOUND("ResourceNotFound", 400),
    RESOURCE_IN_USE("ResourceInUse", 400),
    RESOURCE_LIMIT_EXCEEDED("ResourceLimitExceeded", 400),
    SERIALIZATION("SerializationException", 400),
    UNKNOWN_OPERATION("UnknownOperationException", 400),
    THROTTLING("ThrottlingException", 400),
    /** The database cannot be reached for now: the AWS SDKs retry a 503. */
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503),
    REQUEST_TOO_LARGE("RequestEntityTooLargeException", 413),
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", 403),
    INCOMPLETE_SIGNATURE("IncompleteSignatureException", 403),
    INVALID_SIGNATURE("InvalidSignatureException", 403),
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", 403),
    INTERNAL_FAILURE("InternalFailure", 500);

    private final String wireName;
    private final int httpStatus;

    ErrorCode(String wireName, int httpStatus) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
    }

    /** The {@code __type} a client sees. */
    public String wireName() {
        return wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
