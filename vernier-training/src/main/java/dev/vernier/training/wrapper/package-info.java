/**
 * The {@link dev.vernier.training.wrapper.Wrapper}: a tiny shell that runs a training program with
 * the job directory as working directory and its output appended to the job's log, and records
 * the program's pid and exit status there. Any backend whose program can run a shell uses it: the
 * local backend starts it in a new session, a Slurm job would be the same command under sbatch
 * on a shared file system, a container would run it as its command.
 *
 * <p>Decisions, in one place:
 * <ul>
 *   <li><b>No pipe to the server.</b> The program writes straight into its log file, so it does
 *       not depend on the server process (SIGPIPE when a server dies).</li>
 *   <li><b>Exit status in a file.</b> A later server is not the program's parent and cannot wait
 *       for it: {@code vernier/exit_code}, written after the program ends, is read once the
 *       wrapper is gone; its modification time is the end time.</li>
 *   <li><b>TERM.</b> The shell ignores it (a no-op trap), so a signal to the whole process group
 *       ends the program while the shell lives on to record how.</li>
 *   <li><b>bash</b> instead of sh when a variable name is not a shell identifier: dash drops
 *       such names from the environment of what it runs.</li>
 * </ul>
 */
package dev.vernier.training.wrapper;
