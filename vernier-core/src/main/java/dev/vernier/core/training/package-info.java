/**
 * The {@link dev.vernier.core.training.TrainingBackend} seam: launch, observe and stop training
 * jobs, and pick them up again after a server restart from a stored
 * {@link dev.vernier.core.training.RunHandle}, text that only the backend that wrote it reads.
 *
 * <p>A backend is a module with a {@link dev.vernier.core.training.TrainingBackendFactory}, found
 * with {@link java.util.ServiceLoader} and chosen by the server's {@code backend} setting; it
 * declares its own settings and gets the contract-wide ones (stop grace period, log cap) in its
 * {@link dev.vernier.core.training.TrainingBackendFactory.Context}. What every backend shares (the
 * job directory, environment, log tailing, packing) is in {@code vernier-training}; what every
 * backend must do is the {@code TrainingBackendContract} suite of {@code vernier-testkit}.
 * Backends: {@code local} (processes on the server's machine).
 */
package dev.vernier.core.training;
