/**
 * The Slurm training backend ({@code backend=slurm}): each training job is one Slurm batch job named
 * after it, submitted with {@code sbatch}, watched with {@code squeue} and the files of its job
 * directory, stopped with {@code scancel} (see {@link dev.vernier.backend.slurm.SlurmCli} for why the
 * tools and not slurmrestd). The job directory lies under {@code slurm-jobs-dir}, a file system the
 * server and the nodes share at the same path; the batch script runs the contract's
 * {@link dev.vernier.training.wrapper.Wrapper} there, so the program writes its log (Slurm's output
 * file) and its exit code itself, and everything else a run is (layout, environment, log tailing,
 * log cap, stop deadlines, FailureReason, artifacts) is the shared contract of {@code vernier-training}.
 *
 * <p>Decisions, in one place:
 * <ul>
 *   <li><b>Truth.</b> The exit_code file says how a program ended (without slurmdbd, sacct reports
 *       0:0 for cancelled and timed-out jobs, and slurmctld forgets ended jobs after MinJobAge).
 *       A job that Slurm shows ended, or no longer knows, without an exit_code file after a few
 *       seconds is VANISHED (an internal error the controller retries): node failure, preemption,
 *       cancellation by someone else. A job requeued after it started is cancelled and VANISHED.</li>
 *   <li><b>Nothing waits for Slurm.</b> Launch prepares the job directory and hands sbatch to the
 *       backend's own threads ({@link dev.vernier.backend.slurm.Submissions}); polls learn the job id
 *       from the job directory and answer from a squeue listing read in the background
 *       ({@link dev.vernier.backend.slurm.QueueListing}). sbatch (0.5–1 s on a busy cluster) and
 *       squeue (0.6 s) held the controller's few workers before.</li>
 *   <li><b>Nothing twice.</b> The launch record is written before sbatch runs, and sbatch runs under a
 *       lock on the job directory with its pid recorded first; a poll that finds no recorded id waits
 *       for a submission under way (in any process), then adopts the job that the batch script recorded
 *       or that squeue shows by name and directory, and submits only when there is none.</li>
 *   <li><b>Waiting.</b> Until the program starts (the wrapper's pid file), polls say why it waits
 *       (Slurm's reason from squeue), which the service shows as SecondaryStatus Starting.</li>
 *   <li><b>Time.</b> MaxRuntimeInSeconds counts from the program's start (the pid file), then
 *       SIGTERM to the batch script and all it started ({@code scancel --full --signal=TERM}), then,
 *       after the grace period, SIGKILL to the wrapper's process group through a step of the job
 *       ({@code srun --overlap}: scancel turns SIGKILL into a cancel that waits the cluster's KillWait);
 *       Slurm's {@code --time} is set two minutes beyond, as a backstop only.</li>
 *   <li><b>Never runnable.</b> {@code sbatch --test-only} at check time and the submission itself
 *       turn Slurm's refusals (too many CPUs, too much memory, unknown partition, GPUs the cluster
 *       has not) into a non-retryable refusal that quotes Slurm.</li>
 *   <li><b>Environment.</b> sbatch runs with only PATH, HOME, USER, LOGNAME, LANG and SLURM_* / SBATCH_*
 *       of the server's environment and exports them; the batch script adds the contract's. Not
 *       {@code --export=NONE}, whose login shell per job cost 1.5 s here.</li>
 *   <li><b>Resources.</b> One node, one task, the InstanceType's CPUs, memory and GPUs
 *       ({@link dev.vernier.backend.slurm.InstanceTypes}); InstanceCount &gt; 1 and network
 *       isolation are refused.</li>
 * </ul>
 */
package dev.vernier.backend.slurm;
