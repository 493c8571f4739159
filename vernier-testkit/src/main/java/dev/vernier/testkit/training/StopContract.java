package dev.vernier.testkit.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunResult;
import dev.vernier.core.training.RunResult.SecondaryStatus;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Stops, as SageMaker's contract has them: MaxRuntimeInSeconds and a stop request send SIGTERM,
 * SIGKILL follows once the grace period ({@link #stopGrace}) has passed, and the run ends
 * Stopped (MaxRuntimeExceeded or Stopped) with its model; the first request's cause wins.
 */
public interface StopContract extends BackendUnderTest {
    @Test
    default void a_run_past_its_MaxRuntimeInSeconds_gets_SIGTERM_and_ends_Stopped_MaxRuntimeExceeded() throws Exception {
        TrainingBackend backend = newBackend();
        long start = System.nanoTime();

        ObservedRun run = toEnd(launch(backend, job("stops_gracefully.sh").maxRuntimeSeconds(shortRuntimeSeconds()).build()),
                backend);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(shortRuntimeSeconds()));
        RunResult result = run.result();
        assertThat(result.status()).isEqualTo(Status.STOPPED);
        assertThat(result.secondaryStatus()).isEqualTo(SecondaryStatus.MAX_RUNTIME_EXCEEDED);
        assertThat(result.failureReason()).isNull();
        assertThat(run.values("loss")).containsExactly(0.5);
        assertThat(log(backend, run)).contains("got SIGTERM, saving");
        assertThat(archive(result.modelArtifactUri())).containsExactly("model.bin");
    }

    @Test
    default void a_stopped_run_gets_SIGTERM_and_ends_Stopped_with_its_model() throws Exception {
        TrainingBackend backend = newBackend();
        ObservedRun run = launch(backend, job("stops_gracefully.sh").build())
                .pollUntil(backend, patience(), r -> !r.points().isEmpty());

        toEnd(run.stop(backend, StopCause.USER_REQUEST), backend);

        RunResult result = run.result();
        assertThat(result.status()).isEqualTo(Status.STOPPED);
        assertThat(result.secondaryStatus()).isEqualTo(SecondaryStatus.STOPPED);
        assertThat(result.failureReason()).isNull();
        assertThat(log(backend, run)).contains("got SIGTERM, saving");
        assertThat(archive(result.modelArtifactUri())).containsExactly("model.bin");
        assertThat(run.values("loss")).containsExactly(0.5);
    }

    @Test
    default void a_run_that_ignores_SIGTERM_is_killed_once_the_grace_period_has_passed() {
        TrainingBackend backend = newBackend();
        ObservedRun run = launch(backend, job("ignores_term.sh").build())
                .pollUntil(backend, patience(), r -> !r.points().isEmpty());
        long asked = System.nanoTime();

        toEnd(run.stop(backend, StopCause.USER_REQUEST), backend);

        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(stopGrace());
        assertThat(run.result().status()).isEqualTo(Status.STOPPED);
        assertThat(run.result().secondaryStatus()).isEqualTo(SecondaryStatus.STOPPED);
        assertThat(log(backend, run)).contains("got SIGTERM, ignoring it");
    }

    @Test
    default void a_stop_right_after_launch_still_stops_the_run() {
        TrainingBackend backend = newBackend();

        ObservedRun run = toEnd(launch(backend, job("stops_gracefully.sh").build()).stop(backend, StopCause.USER_REQUEST),
                backend);

        assertThat(run.result().status()).isEqualTo(Status.STOPPED);
        assertThat(run.result().secondaryStatus()).isEqualTo(SecondaryStatus.STOPPED);
    }

    @Test
    default void a_second_stop_keeps_the_first_cause_and_an_older_handle_still_learns_of_it() {
        TrainingBackend backend = newBackend();
        ObservedRun run = launch(backend, job("stops_gracefully.sh").build())
                .pollUntil(backend, patience(), r -> !r.points().isEmpty());
        RunHandle beforeStop = run.handle();

        RunHandle first = backend.stop(beforeStop, StopCause.MAX_RUNTIME_EXCEEDED);
        RunHandle again = backend.stop(beforeStop, StopCause.USER_REQUEST);
        RunHandle onFirst = backend.stop(first, StopCause.EARLY_STOPPING);

        assertThat(again).isEqualTo(first);
        assertThat(onFirst).isEqualTo(first);
        toEnd(run, backend);   // polled with the handle from before the stops, as after a crash before storing one
        assertThat(run.result().status()).isEqualTo(Status.STOPPED);
        assertThat(run.result().secondaryStatus()).isEqualTo(SecondaryStatus.MAX_RUNTIME_EXCEEDED);
    }
}
