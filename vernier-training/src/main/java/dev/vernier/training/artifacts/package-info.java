/**
 * A job's artifacts: {@code model/} and {@code output/data/} packed by
 * {@link dev.vernier.training.artifacts.TarGz} (in Java: tar and gzip would cost two processes per
 * artifact and job) straight into the object store at SageMaker's locations
 * ({@link dev.vernier.training.artifacts.Artifacts}).
 */
package dev.vernier.training.artifacts;
