package dev.vernier.core.store;

/** A write carried a lease that is no longer the tuning job's: another server drives it now. Nothing was written. */
public class StaleLeaseException extends RuntimeException {
    public StaleLeaseException(String message) {
        super(message);
    }
}
