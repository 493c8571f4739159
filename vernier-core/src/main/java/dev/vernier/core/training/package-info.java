/**
 * The {@link dev.vernier.core.training.TrainingBackend} seam: launch, observe and stop training
 * jobs, and pick them up again after a server restart from a stored
 * {@link dev.vernier.core.training.RunHandle}. Backends: {@code local} (processes on this machine).
 */
package dev.vernier.core.training;
