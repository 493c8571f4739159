package dev.vernier.testkit.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a program is kept from, whatever runs it: the server's own environment (its credentials
 * and settings) never reaches it, and nothing it starts outlives its job, also not a process that
 * left the job's session and process group: not after the program completes, not after a stop,
 * not when another server instance ends the job.
 */
public interface ConfinementContract extends BackendUnderTest {
    /** Variables the backend's scheduler itself gives every job (Slurm's {@code SLURM_*}): neither the server's nor secret. */
    default boolean schedulerVariable(String name) {
        return false;
    }

    /**
     * Whether the backend can kill a process that left the job's session. False only where the execution
     * environment cannot track such a process, and then the backend's documentation says so.
     */
    default boolean killsEscapedProcesses() {
        return true;
    }

    /** Variables a program may see besides SageMaker's and its definition's: what makes a process work. */
    Set<String> ORDINARY = Set.of("PATH", "HOME", "LANG", "LANGUAGE", "TZ", "PWD", "OLDPWD", "SHLVL", "_",
            "HOSTNAME", "TERM", "USER", "LOGNAME", "SHELL", "container", "JAVA_HOME");

    @Test
    default void the_program_gets_none_of_the_servers_own_environment_variables() throws Exception {
        TrainingBackend backend = newBackend();
        var job = job("prints_variable_names.sh").hyperParameters(Map.of("alpha", "1"))
                .environment(Map.of("MY_VARIABLE", "from the definition"));

        ObservedRun run = toEnd(launch(backend, job.build()), backend);

        assertThat(run.result().status()).isEqualTo(Status.COMPLETED);
        List<String> lines = log(backend, run).lines().toList();
        List<String> names = lines.subList(lines.indexOf("names:") + 1, lines.size());
        assertThat(names).contains("SM_HP_ALPHA", "MY_VARIABLE", "TRAINING_JOB_NAME", "PATH");
        assertThat(names).noneMatch(n -> n.startsWith("VERNIER_") || n.startsWith("AWS_"));
        assertThat(names).as("variables beyond SageMaker's, the definition's and a process's ordinary ones")
                .allMatch(n -> n.startsWith("SM_") || n.startsWith("TRAINING_JOB_") || n.startsWith("LC_")
                        || n.equals("MY_VARIABLE") || ORDINARY.contains(n) || schedulerVariable(n));
    }

    @Test
    default void a_process_that_left_the_jobs_session_dies_when_the_program_completes() throws Exception {
        TrainingBackend backend = newBackend();

        ObservedRun run = toEnd(launch(backend, job("leaves_session.sh").build()), backend);

        assertThat(run.result().status()).isEqualTo(Status.COMPLETED);
        assertNothingWritesTo(backend, run);
    }

    @Test
    default void a_process_that_left_the_jobs_session_dies_when_the_job_is_stopped() throws Exception {
        TrainingBackend backend = newBackend();
        ObservedRun run = launch(backend, job("leaves_session.sh").hyperParameters(Map.of("wait", "1")).build())
                .pollUntil(backend, patience(), r -> !r.points().isEmpty());

        toEnd(run.stop(backend, StopCause.USER_REQUEST), backend);

        assertThat(run.result().status()).isEqualTo(Status.STOPPED);
        assertNothingWritesTo(backend, run);
    }

    @Test
    default void a_process_that_left_the_jobs_session_dies_when_another_server_instance_ends_the_job()
            throws Exception {
        ObservedRun launched = launch(newBackend(), job("leaves_session.sh").hyperParameters(Map.of("wait", "1"))
                .build());
        TrainingBackend restarted = newBackend();
        ObservedRun run = observe(launched.handle()).pollUntil(restarted, patience(), r -> !r.points().isEmpty());

        toEnd(run.stop(restarted, StopCause.USER_REQUEST), restarted);

        assertThat(run.result().status()).isEqualTo(Status.STOPPED);
        assertNothingWritesTo(restarted, run);
    }

    /** The escaped process wrote to the log while the job ran, and nothing writes to it a second after its end. */
    private void assertNothingWritesTo(TrainingBackend backend, ObservedRun run) throws InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(killsEscapedProcesses(),
                "this backend's execution environment cannot track a process that left the job's session");
        String atEnd = log(backend, run);
        assertThat(atEnd).contains("escaped 1");
        Thread.sleep(1000);
        assertThat(log(backend, run)).as("the log a second after the job's end").isEqualTo(atEnd);
    }
}
