package dev.vernier.backend.local;

import static dev.vernier.backend.local.TestJobs.pollToEnd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.metrics.FinalMetrics;
import dev.vernier.core.training.RunResult.Status;
import dev.vernier.training.jobdir.JobDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.extension.ExtendWith(KillsLeftoverJobs.class)
class HugeLogTest {
    private static final long CAP = 1024 * 1024;
    private static final long TAIL = 16 * 1024;

    @TempDir Path tmp;

    @Test
    void a_huge_log_is_capped_on_disk_and_read_in_bounded_chunks_yet_keeps_its_last_lines() throws Exception {
        var jobs = new TestJobs(tmp);
        var settings = jobs.settings().withLogCap(CAP, TAIL).withPollBudget(256 * 1024);
        var backend = new LocalTrainingBackend(settings, jobs.store);
        long heapBefore = usedHeap();

        var run = pollToEnd(backend, TestJobs.launch(backend, jobs.spec("huge_log.sh").build()));   // ~20 MB of output

        assertThat(run.last.result().status()).isEqualTo(Status.COMPLETED);
        Path log = new JobDirectory(Path.of(run.handle.jobDir())).log();
        assertThat(Files.size(log)).isBetween(CAP, CAP + TAIL + 200);
        String end = new String(backend.readLog(run.handle.toHandle(), CAP - 100, 1000).bytes());
        assertThat(end).contains("\n[vernier] the log reached its cap of " + CAP + " bytes");
        // The first metric came before the cap, the last one after it: it survives in the kept tail.
        assertThat(run.values("loss")).containsExactly(1.5, 0.01);
        assertThat(FinalMetrics.objective(run.points, "loss")).contains(0.01);
        assertThat(run.polls).isGreaterThanOrEqualTo(4);   // 1 MB in chunks of 256 KB
        assertThat(run.handle.logOffset()).isEqualTo(Files.size(log));
        assertThat(usedHeap() - heapBefore).isLessThan(64L * 1024 * 1024);
    }

    private static long usedHeap() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
