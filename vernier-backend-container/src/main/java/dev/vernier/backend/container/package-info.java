/**
 * The container training backend: {@code TrainingImage} names an image of the local podman or
 * Docker, run as SageMaker runs it ({@code <image> train}, /opt/ml mounted, the SM_* environment)
 * under the local backend's wrapper, which it reuses through
 * {@link dev.vernier.backend.local.JobCommands}.
 */
package dev.vernier.backend.container;
