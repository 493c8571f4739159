/**
 * SageMaker's training-job contract, shared by every training backend: what a training program
 * sees and what the server makes of what it does, whoever starts it. A backend adds only how a
 * program is started, observed, stopped and found again (a local process, a container, a Slurm
 * job, a pod) behind its own {@link dev.vernier.core.training.RunHandle}.
 *
 * <ul>
 *   <li>{@link dev.vernier.training.jobdir}: the job directory laid out like /opt/ml, its config
 *       files, the SM_* environment for wherever the program sees the directory, channel staging.</li>
 *   <li>{@link dev.vernier.training.wrapper}: the shell that runs the program and records its pid,
 *       exit status and output in the directory.</li>
 *   <li>{@link dev.vernier.training.log}: reading a log on from a byte offset and parsing metrics
 *       from any byte stream; keeping a log within its cap.</li>
 *   <li>{@link dev.vernier.training.run}: the run's records (launch, stop request, result), the
 *       time rules (MaxRuntimeInSeconds, grace period) and how an ended run ended.</li>
 *   <li>{@link dev.vernier.training.artifacts}: model.tar.gz and output.tar.gz into the object store.</li>
 *   <li>{@link dev.vernier.training.objectstore}: the default object store, a directory.</li>
 * </ul>
 *
 * <p>Everything a later server needs to pick a run up again is in the job directory, under
 * {@code vernier/}: {@code training.log}, {@code log.dropped}, {@code pid}, {@code exit_code},
 * {@code launch.json}, {@code stop_requested.json}, {@code result.json}, and whatever the backend
 * adds (the local backend: {@code handle.json}). Their names and formats are what running jobs of
 * an older server have on disk: change them only with a way to read the old ones.
 */
package dev.vernier.training;
