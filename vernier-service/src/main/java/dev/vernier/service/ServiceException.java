package dev.vernier.service;

import java.util.List;

/**
 * A request the service refuses, classed by what the caller should do about it. The protocol turns
 * each kind into its wire error in one place; the service knows nothing of AWS error codes.
 */
public final class ServiceException extends RuntimeException {
    public enum Kind {
        /** The request breaks a rule: fix it. {@link #violations()} lists every problem. */
        INVALID_REQUEST,
        /** No such resource. */
        NOT_FOUND,
        /** The name is taken. */
        ALREADY_EXISTS,
        /** A per-resource or per-account limit would be exceeded. */
        LIMIT_EXCEEDED
    }

    private final Kind kind;
    private final List<String> violations;

    private ServiceException(Kind kind, List<String> violations) {
        super(String.join("; ", violations));
        this.kind = kind;
        this.violations = List.copyOf(violations);
    }

    public static ServiceException invalid(String problem) {
        return new ServiceException(Kind.INVALID_REQUEST, List.of(problem));
    }

    /** Every problem of one request at once, each naming its field where it has one. */
    public static ServiceException invalid(List<String> problems) {
        if (problems.isEmpty()) throw new IllegalArgumentException("an invalid request has at least one problem");
        return new ServiceException(Kind.INVALID_REQUEST, problems);
    }

    public static ServiceException notFound(String message) {
        return new ServiceException(Kind.NOT_FOUND, List.of(message));
    }

    public static ServiceException alreadyExists(String message) {
        return new ServiceException(Kind.ALREADY_EXISTS, List.of(message));
    }

    public static ServiceException limitExceeded(String message) {
        return new ServiceException(Kind.LIMIT_EXCEEDED, List.of(message));
    }

    public Kind kind() {
        return kind;
    }

    public List<String> violations() {
        return violations;
    }
}
