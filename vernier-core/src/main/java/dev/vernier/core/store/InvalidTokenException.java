package dev.vernier.core.store;

/** A NextToken this store did not hand out (or one from another listing). */
public class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String message) {
        super(message);
    }
}
