/**
 * The local training backend: each training job is a process on this machine (Linux, with
 * util-linux and coreutils), run under a tiny shell {@link dev.vernier.backend.local.Wrapper}
 * started in its own session and process group by a {@link dev.vernier.backend.local.WrapperLauncher}, in a
 * directory laid out like SageMaker's /opt/ml ({@link dev.vernier.backend.local.JobDirectory}).
 *
 * <p>Everything a later server process needs to pick a run up again lives in that directory, under
 * {@code vernier/}: {@code pid}, {@code exit_code}, {@code training.log}, {@code log.dropped}, {@code launch.json},
 * {@code stop_requested.json}, {@code result.json}, {@code handle.json}; and in the
 * {@link dev.vernier.core.training.RunHandle} the controller stores.
 *
 * <p>Decisions, in one place:
 * <ul>
 *   <li><b>Liveness.</b> A run is alive while its wrapper pid exists with the start time recorded
 *       at launch (/proc/&lt;pid&gt;/stat field 22) and is not a zombie. Gone with an exit_code file:
 *       finished. Gone without one and never asked to stop: VANISHED (an internal error for the
 *       controller to retry); whatever is left of its process group is killed.</li>
 *   <li><b>Log cap.</b> The program writes straight into its log. The log keeps its first
 *       {@code logCapBytes} and its last {@code logTailBytes}; output between them is parsed for
 *       metrics as it is read and then deallocated, and the log is rewritten as head, marker line
 *       and tail when the program ends ({@link dev.vernier.backend.local.LogCap}).</li>
 *   <li><b>Metric lines.</b> A line ends at '\n' or '\r'; a line longer than 64 KiB is skipped;
 *       each point is stamped with the time the server read it (after a restart, lines written
 *       while no server ran get the time they were read).</li>
 *   <li><b>FailureReason.</b> The first 1024 characters of {@code output/failure} when the program
 *       wrote one; otherwise "AlgorithmError: the training program exited with code N[ (killed by
 *       signal S)]. Last log lines:" and as many of the last 10 log lines as fit in 1024.</li>
 *   <li><b>Stops.</b> SIGTERM to the group; SIGKILL once the grace period has passed (checked by
 *       polls). A run that ends after a stop request is Stopped whatever its exit code, with
 *       secondary status MaxRuntimeExceeded or Stopped; Completed and Stopped runs get their
 *       model.tar.gz and output.tar.gz, Failed runs none. A job ends when its program exits:
 *       whatever is left of its process group is killed then, as a container's processes are.</li>
 *   <li><b>Network isolation.</b> Detected once per server by running {@code unshare -n true}, then
 *       {@code unshare -rn true}; the first that works prefixes the program. If neither does, a
 *       job with EnableNetworkIsolation is refused (UnsupportedTrainingFeatureException).</li>
 *   <li><b>Resources.</b> One process as host algo-1; InstanceType is only reported to the program,
 *       VolumeSizeInGB is not enforced, InstanceCount &gt; 1 is refused. FastFile is staged as File.</li>
 *   <li><b>Environment.</b> The program inherits the server's environment (PATH, HOME...), then the
 *       SM_* variables, TRAINING_JOB_NAME/ARN and the definition's Environment, which wins.</li>
 * </ul>
 */
package dev.vernier.backend.local;
