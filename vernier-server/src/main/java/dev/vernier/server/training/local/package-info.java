/**
 * The local training backend: each training job is a process on this machine, run under a tiny
 * shell {@link dev.vernier.server.training.local.Wrapper} in its own session and process group,
 * in a directory laid out like SageMaker's /opt/ml ({@link dev.vernier.server.training.local.JobDirectory}).
 * Everything a later server process needs to pick a run up again lives in that directory
 * ({@code vernier/}: pid, exit_code, training.log, launch.json, stop_requested.json, result.json,
 * handle.json) and in the {@link dev.vernier.server.training.RunHandle}.
 */
package dev.vernier.server.training.local;
