/**
 * The Kubernetes training backend: each training job a {@code batch/v1} Job (see {@code JobSpecs}),
 * observed through the API server (pod status, pod log), found again by its deterministic name.
 */
package dev.vernier.backend.kubernetes;
