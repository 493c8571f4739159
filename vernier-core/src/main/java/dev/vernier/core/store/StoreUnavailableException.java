package dev.vernier.core.store;

/**
 * The database cannot be reached now (restarting, network cut, connection pool exhausted): nothing
 * was written, and the same call may succeed later. The API answers it with a retryable error.
 */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
