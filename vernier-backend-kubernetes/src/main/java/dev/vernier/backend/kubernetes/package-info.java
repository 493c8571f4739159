/**
 * The Kubernetes training backend: each training job a {@code batch/v1} Job (see {@code JobSpecs}),
 * or one per host for a job of several hosts with a headless Service for their names, observed
 * through the API server (pod status, pod log), found again by its deterministic name; the hosts'
 * logs are merged by {@code SavedLogs}, their uploads by {@code HostArtifacts}.
 */
package dev.vernier.backend.kubernetes;
