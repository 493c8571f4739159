package dev.vernier.server.config;

/** A setting that cannot be used; the message says which and why. */
public class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }
}
