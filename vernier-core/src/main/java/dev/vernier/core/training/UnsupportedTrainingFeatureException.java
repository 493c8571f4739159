package dev.vernier.core.training;

/**
 * The job asks for something this backend cannot do (Pipe mode, a manifest channel, an image
 * with no local program...). Never worth retrying; the API reports the message as a
 * ValidationException.
 */
public class UnsupportedTrainingFeatureException extends RuntimeException {
    public UnsupportedTrainingFeatureException(String message) {
        super(message);
    }
}
