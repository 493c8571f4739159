package dev.vernier.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.metrics.MetricParser;
import dev.vernier.core.metrics.MetricPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailerTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private final MetricParser parser = new MetricParser(List.of(new MetricDefinition("loss", "loss=([0-9.]+)")));

    @TempDir Path tmp;

    @Test
    void a_partial_line_waits_for_its_newline() throws Exception {
        Path log = Files.writeString(tmp.resolve("log"), "loss=1\nloss=0.12");
        var tailer = new LogTailer(parser);

        var first = tailer.read(log, 0, false, false, 1 << 16, T);
        assertThat(values(first.points())).containsExactly(1.0);
        assertThat(first.offset()).isEqualTo(7);

        Files.writeString(log, "34\n", StandardOpenOption.APPEND);
        var second = tailer.read(log, first.offset(), false, false, 1 << 16, T);
        assertThat(values(second.points())).containsExactly(0.1234);
        assertThat(second.offset()).isEqualTo(Files.size(log));
    }

    @Test
    void a_budget_bounds_each_read_and_the_next_read_resumes_exactly() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1000; i++) text.append("step ").append(i).append(" loss=").append(i).append('\n');
        Path log = Files.writeString(tmp.resolve("log"), text);
        var tailer = new LogTailer(parser);
        long offset = 0;
        int reads = 0;
        List<Double> all = new java.util.ArrayList<>();
        while (offset < Files.size(log)) {
            var r = tailer.read(log, offset, false, true, 1000, T);
            all.addAll(values(r.points()));
            offset = r.offset();
            reads++;
        }
        assertThat(all).hasSize(1000).doesNotHaveDuplicates();
        assertThat(reads).isGreaterThan(10);
    }

    private static List<Double> values(List<MetricPoint> points) {
        return points.stream().map(MetricPoint::value).toList();
    }
}
