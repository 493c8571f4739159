package dev.vernier.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.training.RunObservation.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KillsLeftoverJobs.class)
class RunExitListenerTest {
    @TempDir Path tmp;

    @Test
    void theExitListenerHearsOfTheEndOfARunAsSoonAsItsProcessExits() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = jobs.backend();
        CountDownLatch ended = new CountDownLatch(1);
        backend.onRunExit(ended::countDown);
        LocalRun handle = TestJobs.launch(backend, jobs.spec("waits_for_go.sh").build());

        assertThat(ended.await(500, TimeUnit.MILLISECONDS)).as("still running, waiting for ./go").isFalse();
        Files.createFile(Path.of(handle.jobDir()).resolve("go"));
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(TestJobs.pollToEnd(backend, handle).last.phase()).isEqualTo(Phase.FINISHED);
    }
}
