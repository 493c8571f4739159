/**
 * The local training backend ({@code backend=local}): each training job is a process on this
 * machine (Linux, with util-linux and coreutils), run under the contract's shell
 * {@link dev.vernier.training.wrapper.Wrapper}, started in its own session and process group by a
 * {@link dev.vernier.backend.local.WrapperLauncher}, in a job directory of {@code vernier-training}
 * under {@code <data-dir>/jobs/}. Everything else a run is (layout, environment, log tailing, log
 * cap, stop deadlines, FailureReason, artifacts) is the shared contract of {@code vernier-training};
 * this package starts, watches, signals and finds processes.
 *
 * <p>Its {@link dev.vernier.backend.local.LocalRun} handle holds the job directory, the wrapper's
 * pid and start time, and the log offset read so far; {@code vernier/handle.json} in the job
 * directory holds the handle as launched, so that launching again finds the run.
 *
 * <p>Decisions, in one place:
 * <ul>
 *   <li><b>Liveness.</b> A run is alive while its wrapper pid exists with the start time recorded
 *       at launch (/proc/&lt;pid&gt;/stat field 22) and is not a zombie. Gone with an exit_code file:
 *       finished. Gone without one and never asked to stop: VANISHED (an internal error for the
 *       controller to retry); whatever is left of its process group is killed.</li>
 *   <li><b>Signals.</b> Stops and timeouts signal the whole process group: SIGTERM, then SIGKILL
 *       once the grace period has passed (checked by polls). A job ends when its program exits:
 *       whatever is left of its process group is killed then, as a container's processes are.</li>
 *   <li><b>Starting.</b> posix_spawn with POSIX_SPAWN_SETSID on Java 22+ (one exec per job), else
 *       ProcessBuilder and setsid; stdin from /dev/null, output appended to the log, no other
 *       descriptor of the server.</li>
 *   <li><b>Images.</b> {@code file:///abs/program} runs that program; other names run the program
 *       the {@code images} setting maps them to; anything else is refused.</li>
 *   <li><b>Network isolation.</b> Detected once per server by running {@code unshare -n true}, then
 *       {@code unshare -rn true}; the first that works prefixes the program. If neither does, a
 *       job with EnableNetworkIsolation is refused (UnsupportedTrainingFeatureException).</li>
 *   <li><b>Resources.</b> One process as host algo-1 with this machine's processors; InstanceType
 *       is only reported to the program, VolumeSizeInGB is not enforced, InstanceCount &gt; 1 is
 *       refused.</li>
 *   <li><b>Environment.</b> The program inherits the server's environment (PATH, HOME...), then
 *       gets the contract's (SM_* and the definition's Environment), which wins.</li>
 * </ul>
 */
package dev.vernier.backend.local;
