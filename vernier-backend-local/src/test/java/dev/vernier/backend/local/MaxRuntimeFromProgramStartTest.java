package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.training.RunResult.SecondaryStatus;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.TrainingHost;
import dev.vernier.training.run.LaunchRecord;
import dev.vernier.training.script.ImagePatterns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MaxRuntimeInSeconds counts from when the program started, as JobCommands reports it (a container's
 * start-up is not training time), not from the launch: here the program starts 5 s after the launch
 * and runs for well under a second, with MaxRuntimeInSeconds 4.
 */
@org.junit.jupiter.api.extension.ExtendWith(KillsLeftoverJobs.class)
class MaxRuntimeFromProgramStartTest {
    private static final int START_UP_SECONDS = 5;

    @TempDir Path tmp;

    @Test
    void a_job_whose_program_started_late_completes_when_its_own_runtime_is_within_the_limit() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = new LocalTrainingBackend(jobs.settings(), jobs.store, new SlowStart(jobs, true));

        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("completes.sh").maxRuntime(4).build()));

        assertThat(run.last.result().status()).as(String.valueOf(run.last.result())).isEqualTo(Status.COMPLETED);
    }

    @Test
    void counted_from_the_launch_the_same_job_exceeds_its_max_runtime() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = new LocalTrainingBackend(jobs.settings(), jobs.store, new SlowStart(jobs, false));

        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("completes.sh").maxRuntime(4).build()));

        assertThat(run.last.result().status()).isEqualTo(Status.STOPPED);
        assertThat(run.last.result().secondaryStatus()).isEqualTo(SecondaryStatus.MAX_RUNTIME_EXCEEDED);
    }

    /** Local programs that start {@link #START_UP_SECONDS} after their launch, as a slow container would. */
    private static final class SlowStart implements JobCommands {
        private final JobCommands programs;
        private final boolean reportsStart;

        SlowStart(TestJobs jobs, boolean reportsStart) {
            this.programs = JobCommands.localPrograms(Map.of(), ImagePatterns.parse("script-images", ""), jobs.store);
            this.reportsStart = reportsStart;
        }

        @Override
        public List<String> problems(TrainingJobSpec spec) {
            return programs.problems(spec);
        }

        @Override
        public Optional<Path> localProgram(TrainingJobSpec spec) {
            return programs.localProgram(spec);
        }

        @Override
        public Command command(TrainingJobSpec spec, JobDirectory dir, TrainingHost host) throws IOException {
            Command program = programs.command(spec, dir, host);
            List<String> delayed = new ArrayList<>(List.of("sh", "-c", "sleep " + START_UP_SECONDS + "; exec \"$@\"", "sh"));
            delayed.addAll(program.program());
            return new Command(delayed, program.environment());
        }

        /** No earlier than the program's real start: the launch plus the start-up's sleep. */
        @Override
        public Optional<Instant> programStarted(String jobName, JobDirectory dir) {
            if (!reportsStart) return Optional.empty();
            try {
                return Optional.of(LaunchRecord.read(dir).launchTime().plusSeconds(START_UP_SECONDS));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
