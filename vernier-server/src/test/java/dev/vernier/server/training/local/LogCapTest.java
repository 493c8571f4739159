package dev.vernier.server.training.local;

import static dev.vernier.server.training.local.TestJobs.pollToEnd;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cap when the program has ended before the wrapper's head stops: the rest waits in the pipe. */
@org.junit.jupiter.api.extension.ExtendWith(KillsLeftoverJobs.class)
class LogCapTest {
    @TempDir Path tmp;

    private static String output() {
        return IntStream.rangeClosed(1, 300).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining())
                + "loss=0.25\n";
    }

    @Test
    void output_a_little_past_the_cap_keeps_the_first_cap_bytes_and_the_whole_lines_after_the_cut() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = new LocalTrainingBackend(jobs.settings().withLogCap(1024, 4096), jobs.store);

        var run = pollToEnd(backend, backend.launch(jobs.spec("just_past_cap.sh").build()));

        String out = output();
        String afterCut = out.substring(out.indexOf('\n', 1024) + 1);   // sed 1d drops the cut line's rest
        assertThat(Files.readString(Path.of(run.handle.jobDir(), Wrapper.LOG))).isEqualTo(out.substring(0, 1024)
                + "\n[vernier] the log reached its cap of 1024 bytes: output past it is dropped except the last "
                + "lines, which follow\n" + afterCut);
        assertThat(run.values("loss")).containsExactly(0.25);
    }

    @Test
    void past_the_tail_size_only_the_last_lines_are_kept() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = new LocalTrainingBackend(jobs.settings().withLogCap(1024, 200), jobs.store);

        var run = pollToEnd(backend, backend.launch(jobs.spec("just_past_cap.sh").build()));

        String out = output();
        String last = out.substring(out.length() - 200);
        assertThat(Files.readString(Path.of(run.handle.jobDir(), Wrapper.LOG))).isEqualTo(out.substring(0, 1024)
                + "\n[vernier] the log reached its cap of 1024 bytes: output past it is dropped except the last "
                + "lines, which follow\n" + last.substring(last.indexOf('\n') + 1));
    }

    @Test
    void output_under_the_cap_is_kept_whole_without_a_marker() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = new LocalTrainingBackend(jobs.settings().withLogCap(100_000, 200), jobs.store);

        var run = pollToEnd(backend, backend.launch(jobs.spec("just_past_cap.sh").build()));

        assertThat(Files.readString(Path.of(run.handle.jobDir(), Wrapper.LOG))).isEqualTo(output());
        assertThat(Files.exists(Path.of(run.handle.jobDir(), "vernier/log.tail"))).isFalse();
    }
}
