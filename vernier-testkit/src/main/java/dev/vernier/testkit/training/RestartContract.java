package dev.vernier.testkit.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.training.LaunchedRun;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.RunObservation.Phase;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingJobSpec;
import org.junit.jupiter.api.Test;

/**
 * What a server that crashed relies on: every call made again gives the same answer (one run per
 * launched job, the first stop, the same result), also from a new instance of the backend, which
 * goes on from the last stored handle without losing or repeating a metric point.
 */
public interface RestartContract extends BackendUnderTest {
    @Test
    default void launching_a_job_again_returns_the_run_already_launched_also_after_a_restart() {
        TrainingBackend backend = newBackend();
        var job = job("finishes_on_term.sh");
        LaunchedRun first = backend.launch(job.build());
        ObservedRun run = observe(first.handle());

        assertThat(backend.launch(job.build())).isEqualTo(first);
        assertThat(newBackend().launch(job.build())).isEqualTo(first);

        run.pollUntil(backend, patience(), r -> r.points().size() == 3);
        toEnd(run.stop(backend, StopCause.USER_REQUEST), backend);
        assertThat(run.values("loss")).containsExactly(1.5, 2.5, 3.5, 4.5, 5.5, 6.5);
        assertThat(log(backend, run).lines().filter(line -> line.equals("step=1 loss=1.5"))).hasSize(1);
    }

    @Test
    default void a_finished_run_answers_the_same_result_to_polls_stops_and_launches_also_after_a_restart() {
        TrainingBackend backend = newBackend();
        TrainingJobSpec spec = job("completes.sh").build();
        LaunchedRun launchedRun = backend.launch(spec);
        ObservedRun run = toEnd(observe(launchedRun.handle()), backend);
        RunResult result = run.result();

        assertSameEnd(backend.poll(run.handle()), run, result);
        TrainingBackend restarted = newBackend();
        assertSameEnd(restarted.poll(run.handle()), run, result);
        RunHandle stopped = restarted.stop(run.handle(), StopCause.USER_REQUEST);
        assertThat(restarted.poll(stopped).result()).isEqualTo(result);
        LaunchedRun again = restarted.launch(spec);
        assertThat(again).isEqualTo(launchedRun);
        assertThat(restarted.poll(again.handle()).result()).isEqualTo(result);
    }

    @Test
    default void a_new_instance_goes_on_from_the_last_stored_handle_without_losing_or_repeating_a_point() {
        TrainingBackend first = newBackend();
        ObservedRun run = launch(first, job("finishes_on_term.sh").build())
                .pollUntil(first, patience(), r -> r.points().size() == 3);

        TrainingBackend second = newBackend();   // the server restarts: only the stored handle is left
        RunObservation adopted = run.poll(second);

        assertThat(adopted.phase()).isEqualTo(Phase.RUNNING);
        assertThat(adopted.newPoints()).isEmpty();
        toEnd(run.stop(second, StopCause.USER_REQUEST), second);
        assertThat(run.result().status()).isEqualTo(Status.STOPPED);
        assertThat(run.values("loss")).containsExactly(1.5, 2.5, 3.5, 4.5, 5.5, 6.5);
    }

    @Test
    default void a_new_instance_observes_a_run_that_another_launched_to_its_end() throws Exception {
        var job = job("completes.sh").metrics(new MetricDefinition("train:loss", "train_loss=([0-9.]+)"));
        RunHandle handle = launch(newBackend(), job.build()).handle();

        TrainingBackend second = newBackend();
        ObservedRun run = toEnd(observe(handle), second);

        assertThat(run.result().status()).isEqualTo(Status.COMPLETED);
        assertThat(run.values("train:loss")).containsExactly(0.3, 0.2, 0.1, 0.05);
        assertThat(archive(run.result().modelArtifactUri())).contains("model.bin");
    }

    private static void assertSameEnd(RunObservation again, ObservedRun run, RunResult result) {
        assertThat(again.phase()).isEqualTo(Phase.FINISHED);
        assertThat(again.result()).isEqualTo(result);
        assertThat(again.newPoints()).isEmpty();
        assertThat(again.handle()).isEqualTo(run.handle());
    }
}
