package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.training.RunObservation.Phase;
import dev.vernier.core.training.RunObservation;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.log.LogCap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log keeps its first cap bytes and its last tail bytes; the server parses what lies between as it goes. */
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

        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("just_past_cap.sh").build()));

        String out = output();
        String afterCut = out.substring(out.indexOf('\n', 1024) + 1);   // sed 1d drops the cut line's rest
        assertThat(Files.readString(log(run.handle))).isEqualTo(out.substring(0, 1024)
                + "\n[vernier] the log reached its cap of 1024 bytes: output past it is dropped except the last "
                + "lines, which follow\n" + afterCut);
        assertThat(run.values("loss")).containsExactly(0.25);
    }

    @Test
    void past_the_tail_size_only_the_last_lines_are_kept() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = new LocalTrainingBackend(jobs.settings().withLogCap(1024, 200), jobs.store);

        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("just_past_cap.sh").build()));

        String out = output();
        String last = out.substring(out.length() - 200);
        assertThat(Files.readString(log(run.handle))).isEqualTo(out.substring(0, 1024)
                + "\n[vernier] the log reached its cap of 1024 bytes: output past it is dropped except the last "
                + "lines, which follow\n" + last.substring(last.indexOf('\n') + 1));
    }

    @Test
    void output_under_the_cap_is_kept_whole_without_a_marker() throws Exception {
        var jobs = new TestJobs(tmp);
        var backend = new LocalTrainingBackend(jobs.settings().withLogCap(100_000, 200), jobs.store);

        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("just_past_cap.sh").build()));

        assertThat(Files.readString(log(run.handle))).isEqualTo(output());
        assertThat(Files.exists(Path.of(run.handle.jobDir(), "vernier/log.tail"))).isFalse();
    }

    @Test
    void past_the_cap_every_metric_is_parsed_while_the_disk_keeps_only_the_head_and_the_tail() throws Exception {
        long cap = 64 * 1024;
        long tail = 16 * 1024;
        var jobs = new TestJobs(tmp);
        var backend = new LocalTrainingBackend(jobs.settings().withLogCap(cap, tail), jobs.store);
        var handle = TestJobs.launch(backend, jobs.spec("long_log_waits.sh").build());

        var running = TestJobs.pollUntil(backend, handle, java.time.Duration.ofSeconds(30),
                r -> r.values("loss").contains(20.0));

        Path log = log(handle);
        assertThat(Files.size(log)).isGreaterThan(6_000_000);
        assertThat(allocatedBytes(log)).isLessThan(cap + tail + LogCap.PUNCH_STEP + 256 * 1024);
        var head = backend.readLog(running.handle.toHandle(), 0, 1 << 20);
        assertThat(head.bytes()).hasSize((int) cap);
        var marker = backend.readLog(running.handle.toHandle(), head.nextOffset(), 1 << 20);
        assertThat(new String(marker.bytes())).isEqualTo(new String(LogCap.marker(cap)));
        assertThat(marker.nextOffset()).isGreaterThan(6_000_000 - tail - LogCap.PUNCH_STEP);
        assertThat(new String(backend.readLog(running.handle.toHandle(), marker.nextOffset(), 1 << 20).bytes())).endsWith("loss=20\n");

        Files.createFile(Path.of(handle.jobDir(), "go"));
        var ended = pollToEnd(backend, running.handle);

        List<Double> all = new java.util.ArrayList<>(running.values("loss"));
        all.addAll(ended.values("loss"));
        assertThat(all).containsExactlyElementsOf(java.util.stream.Stream.concat(
                IntStream.rangeClosed(1, 20).mapToObj(i -> (double) i), java.util.stream.Stream.of(0.25)).toList());
        String text = Files.readString(log);
        assertThat(text).startsWith("filler filler").contains(new String(LogCap.marker(cap))).endsWith("loss=20\nloss=0.25\n");
        assertThat(Files.size(log)).isLessThanOrEqualTo(cap + tail + 200);
        assertThat(ended.handle.logOffset()).isEqualTo(Files.size(log));
        assertThat(Files.exists(new JobDirectory(Path.of(handle.jobDir())).state(LogCap.DROPPED))).isFalse();
    }

    /** Disk blocks actually allocated to a file (holes take none). */
    private static long allocatedBytes(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
        String[] f = new String(p.getInputStream().readAllBytes()).strip().split(" ");
        p.waitFor();
        return Long.parseLong(f[0]) * Long.parseLong(f[1]);
    }

    @Test
    void the_last_points_are_stored_before_the_log_is_compacted_so_a_restart_neither_loses_nor_repeats_them()
            throws Exception {
        var jobs = new TestJobs(tmp);
        var settings = jobs.settings().withLogCap(1024, 4096);
        var backend = new LocalTrainingBackend(settings, jobs.store);
        LocalRun before = TestJobs.launch(backend, jobs.spec("just_past_cap.sh").build());
        RunObservation last;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            last = TestJobs.poll(backend, before);
            if (last.newPoints().stream().anyMatch(p -> p.value() == 0.25)) break;
            assertThat(last.phase()).isNotEqualTo(Phase.FINISHED);
            assertThat(System.nanoTime()).isLessThan(deadline);
            before = TestJobs.local(last);
            Thread.sleep(20);
        }
        assertThat(last.phase()).as("compaction waits until the last points are stored").isNotEqualTo(Phase.FINISHED);

        // The server dies before storing them: the next server reads them again from the stored offset.
        var again = TestJobs.poll(new LocalTrainingBackend(settings, jobs.store), before);
        assertThat(again.newPoints()).extracting(p -> p.value()).contains(0.25);
        var finished = pollUntilFinished(new LocalTrainingBackend(settings, jobs.store), TestJobs.local(again));
        assertThat(finished.newPoints()).isEmpty();
        assertThat(Files.readString(log(before))).contains(new String(LogCap.marker(1024)));

        // The server dies after compacting but before storing FINISHED: nothing is read twice.
        var afterRestart = TestJobs.poll(new LocalTrainingBackend(settings, jobs.store), TestJobs.local(again));
        assertThat(afterRestart.phase()).isEqualTo(Phase.FINISHED);
        assertThat(afterRestart.newPoints()).isEmpty();
        assertThat(afterRestart.result()).isEqualTo(finished.result());
    }

    private static RunObservation pollUntilFinished(LocalTrainingBackend backend, LocalRun handle) throws Exception {
        RunObservation o = TestJobs.poll(backend, handle);
        for (int i = 0; i < 100 && o.phase() != Phase.FINISHED; i++) {
            assertThat(o.newPoints()).isEmpty();
            Thread.sleep(20);
            o = TestJobs.poll(backend, TestJobs.local(o));
        }
        assertThat(o.phase()).isEqualTo(Phase.FINISHED);
        return o;
    }

    private static Path log(LocalRun run) {
        return new JobDirectory(Path.of(run.jobDir())).log();
    }
}
