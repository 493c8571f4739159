package dev.vernier.testkit.training;

import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingJobSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What the contract's tests use: instances of the backend under test, jobs that run the testkit's
 * programs, and the object store. {@link TrainingBackendContract} implements it; a backend
 * overrides the defaults there.
 */
public interface BackendUnderTest {
    /** The grace period between SIGTERM and SIGKILL that the backends under test are given unless {@link #stopGrace} says otherwise. */
    Duration STOP_GRACE = Duration.ofSeconds(1);

    /** A new instance of the backend, on this test's data directory and object store: after the first, the same backend after a restart. */
    TrainingBackend newBackend();

    /** A job of its own name that runs the testkit's {@code program} (a file name in Programs). */
    JobSpecBuilder job(String program);

    /** Launches {@code spec}; the run is stopped after the test if the test leaves it running. */
    ObservedRun launch(TrainingBackend backend, TrainingJobSpec spec);

    /** A run to observe from {@code handle}, stopped after the test if the test leaves it running. */
    ObservedRun observe(RunHandle handle);

    /** Stores {@code text} as the object at {@code uri}. */
    void put(String uri, String text) throws IOException;

    /** The entry names of the .tar.gz stored at {@code uri}, sorted. */
    List<String> archive(String uri) throws IOException;

    /** The longest a test waits for a run to get where it expects it. */
    Duration patience();

    /**
     * A MaxRuntimeInSeconds long enough for a program to start and print a line on this backend
     * (a container takes a second or two to start on a loaded machine).
     */
    default long shortRuntimeSeconds() {
        return 1;
    }

    /**
     * The grace period between SIGTERM and SIGKILL the backend under test is given: long enough for
     * a program's SIGTERM handler to run and its end to be seen on this backend (a container engine
     * relays the signal and removes the container, which took over a second on a loaded machine).
     */
    default Duration stopGrace() {
        return STOP_GRACE;
    }

    /**
     * Whether the log keeps the order in which the program wrote to stdout and stderr (one file for
     * both); a container engine relays them as two streams, whose lines may interleave otherwise.
     */
    default boolean keepsOutputOrder() {
        return true;
    }

    /** Jobs that {@code check} and {@code launch} must refuse, each under a text that its refusal names. */
    Map<String, UnaryOperator<JobSpecBuilder>> unsupportedFeatures();

    /** An image the backend cannot run. */
    String unrunnableImage();

    /** Whether listeners of {@link TrainingBackend#onRunExit} hear of the ends of runs (optional in the interface). */
    boolean notifiesRunExit();

    default ObservedRun toEnd(ObservedRun run, TrainingBackend backend) {
        return run.pollToEnd(backend, patience());
    }

    /** The run's whole log, as the log endpoint reads it. */
    default String log(TrainingBackend backend, ObservedRun run) {
        return new String(backend.readLog(run.handle(), 0, 1 << 20).bytes(), StandardCharsets.UTF_8);
    }
}
