package dev.vernier.protocol.error;

import dev.vernier.service.ServiceException;

/** The one place where the service's refusals become AWS errors. */
public final class ErrorMapping {
    private ErrorMapping() {}

    public static ApiException toApi(ServiceException e) {
        return switch (e.kind()) {
            case INVALID_REQUEST -> ApiException.validation(e.violations());
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case ALREADY_EXISTS -> ApiException.inUse(e.getMessage());
            case LIMIT_EXCEEDED -> new ApiException(ErrorCode.RESOURCE_LIMIT_EXCEEDED, e.getMessage());
        };
    }
}
