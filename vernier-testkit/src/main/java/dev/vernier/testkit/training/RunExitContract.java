package dev.vernier.testkit.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The optional {@link TrainingBackend#onRunExit} wake-up: told when a run this instance launched
 * ends, and not before. Skipped for a backend whose {@link #notifiesRunExit()} is false.
 */
public interface RunExitContract extends BackendUnderTest {
    @Test
    default void onRunExit_listeners_hear_of_the_end_of_a_run() throws Exception {
        assumeTrue(notifiesRunExit(), "this backend leaves the ends of runs to be found by polling");
        TrainingBackend backend = newBackend();
        CountDownLatch ended = new CountDownLatch(1);
        backend.onRunExit(ended::countDown);
        ObservedRun run = launch(backend, job("finishes_on_term.sh").build())
                .pollUntil(backend, patience(), r -> r.points().size() == 3);

        assertThat(ended.getCount()).as("heard of an end while the program waits for SIGTERM").isEqualTo(1);
        backend.stop(run.handle(), StopCause.USER_REQUEST);
        assertThat(ended.await(patience().toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(toEnd(run, backend).result().status()).isEqualTo(Status.STOPPED);
    }
}
