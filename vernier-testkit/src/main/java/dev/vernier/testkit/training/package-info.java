/**
 * The training-backend contract suite: {@link dev.vernier.testkit.training.TrainingBackendContract},
 * which every {@link dev.vernier.core.training.TrainingBackend} passes, as Optuna's
 * {@code StorageTestCase} is run against every storage.
 *
 * <p>Decisions, in one place:
 * <ul>
 *   <li><b>One class to extend, its tests by theme.</b> The tests are default methods of JUnit test
 *       interfaces (outcomes, stops, restarts, what the program sees, refusals, onRunExit) over
 *       {@link dev.vernier.testkit.training.BackendUnderTest}; the abstract class implements them
 *       all, so a backend extends one class and every file stays short.</li>
 *   <li><b>Through the interface only.</b> Tests see what the controller sees: handles,
 *       observations, results, the log and the object store. Programs report what they were given
 *       in their log; nothing reads a backend's files or processes, so a container, Slurm or
 *       Kubernetes backend runs the same tests.</li>
 *   <li><b>The backend is made as the server makes it</b>, from a
 *       {@link dev.vernier.core.training.TrainingBackendFactory.Context} (its own data directory and
 *       object store per test, a stop grace period of one second); "after a restart" is a new
 *       instance from the same context.</li>
 *   <li><b>Held by signals, not by files.</b> A program that must wait at a known point waits for
 *       SIGTERM ({@code finishes_on_term.sh}), which the test sends through {@code stop}: no
 *       shared file system between test and program is assumed.</li>
 *   <li><b>No sleeps for correctness.</b> Every wait polls with a deadline; durations are only
 *       asserted as lower bounds (a stop that must wait for the grace period).</li>
 *   <li><b>What may differ</b> between backends is declared by overriding: the images of the test
 *       programs, the features refused, whether onRunExit is told, the patience.</li>
 * </ul>
 */
package dev.vernier.testkit.training;
