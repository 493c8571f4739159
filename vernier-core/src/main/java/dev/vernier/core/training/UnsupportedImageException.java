package dev.vernier.core.training;

/** The TrainingImage cannot run on this backend (no such program, or no program mapped to the image). */
public class UnsupportedImageException extends UnsupportedTrainingFeatureException {
    public UnsupportedImageException(String message) {
        super(message);
    }
}
