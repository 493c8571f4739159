/**
 * A run's records in its directory and the rules that turn them into SageMaker's statuses: the
 * {@link dev.vernier.training.run.LaunchRecord}, the first
 * {@link dev.vernier.training.run.StopRequest}, the
 * {@link dev.vernier.training.run.StopDeadlines}, and the
 * {@link dev.vernier.training.run.RunFinisher} that decides, stores and records how a run ended
 * ({@link dev.vernier.training.run.ResultFile}).
 *
 * <p>Decisions, in one place:
 * <ul>
 *   <li><b>Time limits.</b> Once MaxRuntimeInSeconds has passed since launch, the run is asked to
 *       stop with cause MAX_RUNTIME_EXCEEDED; once a stop request is older than the grace period,
 *       what is left of the program is killed. Checked whenever a backend observes the run.</li>
 *   <li><b>Stops.</b> The first request is recorded before the program is signalled and wins: its
 *       time and cause stay whatever is asked later. A run that ends after a stop request is
 *       Stopped whatever its exit code, secondary status MaxRuntimeExceeded or Stopped.</li>
 *   <li><b>Outcome.</b> Otherwise exit 0 is Completed and anything else Failed. Completed and
 *       Stopped runs get model.tar.gz and output.tar.gz; Failed runs none; a run whose artifacts
 *       cannot be stored is Failed with a ClientError.</li>
 *   <li><b>FailureReason.</b> The first 1024 characters of {@code output/failure} when the program
 *       wrote one; otherwise "AlgorithmError: the training program exited with code N[ (killed by
 *       signal S)]. Last log lines:" and as many of the last 10 log lines as fit in 1024.</li>
 *   <li><b>Once decided, recorded.</b> The result is written before it is reported, and every
 *       later observation reads it: the same answer every time.</li>
 * </ul>
 */
package dev.vernier.training.run;
