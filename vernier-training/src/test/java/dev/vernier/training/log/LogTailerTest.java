package dev.vernier.training.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.metrics.MetricParser;
import dev.vernier.core.metrics.MetricPoint;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
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
    void a_read_keeps_at_most_a_thousand_points_of_a_metric_and_then_its_last_one() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5000; i++) text.append("loss=").append(i).append('\n');
        Path log = Files.writeString(tmp.resolve("log"), text);

        var read = new LogTailer(parser).read(log, 0, false, true, 1 << 20, T);

        List<Double> values = values(read.points());
        assertThat(values).hasSize(LogLines.MAX_POINTS_PER_METRIC + 1);
        assertThat(values.subList(0, 3)).containsExactly(0.0, 1.0, 2.0);
        assertThat(values.getLast()).isEqualTo(4999.0);
        assertThat(read.offset()).isEqualTo(Files.size(log));
    }

    @Test
    void a_budget_bounds_each_read_and_the_next_read_resumes_exactly() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1000; i++) text.append("step ").append(i).append(" loss=").append(i).append('\n');
        Path log = Files.writeString(tmp.resolve("log"), text);
        var tailer = new LogTailer(parser);
        long offset = 0;
        int reads = 0;
        List<Double> all = new ArrayList<>();
        while (offset < Files.size(log)) {
            var r = tailer.read(log, offset, false, true, 1000, T);
            all.addAll(values(r.points()));
            offset = r.offset();
            reads++;
        }
        assertThat(all).hasSize(1000).doesNotHaveDuplicates();
        assertThat(reads).isGreaterThan(10);
    }

    @Test
    void the_last_line_without_newline_counts_once_the_program_has_ended() throws Exception {
        Path log = Files.writeString(tmp.resolve("log"), "loss=1\nloss=2");

        var running = new LogTailer(parser).read(log, 0, false, false, 1 << 16, T);
        var ended = new LogTailer(parser).read(log, running.offset(), false, true, 1 << 16, T);

        assertThat(values(running.points())).containsExactly(1.0);
        assertThat(running.reachedEnd()).isFalse();
        assertThat(values(ended.points())).containsExactly(2.0);
        assertThat(ended.reachedEnd()).isTrue();
        assertThat(ended.offset()).isEqualTo(Files.size(log));
    }

    @Test
    void overlong_lines_are_skipped_across_reads_and_carriage_returns_end_lines() throws Exception {
        String text = "loss=1.0\nloss=9.9 " + "x".repeat(200_000) + "\nprogress 10%\rloss=0.7\nloss=0.5\n";
        Path log = Files.writeString(tmp.resolve("log"), text);
        var tailer = new LogTailer(parser);
        List<Double> all = new ArrayList<>();
        long offset = 0;
        boolean inLongLine = false;
        int reads = 0;
        while (offset < Files.size(log)) {
            var r = tailer.read(log, offset, inLongLine, true, LogLines.MAX_LINE_BYTES, T);
            all.addAll(values(r.points()));
            offset = r.offset();
            inLongLine = r.inLongLine();
            reads++;
        }
        assertThat(all).containsExactly(1.0, 0.7, 0.5);
        assertThat(reads).isGreaterThan(3);
    }

    @Test
    void a_stream_is_read_as_the_same_bytes_in_a_file_are() throws Exception {
        String text = "loss=1\nnoise\rloss=2\nloss=3";
        Path log = Files.writeString(tmp.resolve("log"), text);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        var tailer = new LogTailer(parser);

        for (boolean ended : new boolean[] {false, true}) {
            var fromFile = tailer.read(log, 0, false, ended, 1 << 16, T);
            var fromStream = tailer.read(new ByteArrayInputStream(bytes), 0, false, ended, 1 << 16, T);
            assertThat(fromStream).isEqualTo(fromFile);
        }
        // A stream picked up at a stored offset (a pod's log skipped to it) goes on from there.
        var first = tailer.read(new ByteArrayInputStream(bytes), 0, false, false, 1 << 16, T);
        var rest = new ByteArrayInputStream(bytes, (int) first.offset(), bytes.length - (int) first.offset());
        var second = tailer.read(rest, first.offset(), false, true, 1 << 16, T);
        assertThat(values(first.points())).containsExactly(1.0, 2.0);
        assertThat(values(second.points())).containsExactly(3.0);
        assertThat(second.offset()).isEqualTo(bytes.length);
    }

    private static List<Double> values(List<MetricPoint> points) {
        return points.stream().map(MetricPoint::value).toList();
    }
}
