package dev.vernier.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.training.jobdir.JobDirectory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The saved log gets each line of the pod's log once, reading only what is new, whatever the kubelet's timestamps. */
class PodLogCopyTest {
    private static final Instant T = Instant.parse("2026-12-05T06:00:10.100Z");

    @TempDir Path tmp;
    private JobDirectory dir;
    private final ContainerLog pod = new ContainerLog();

    @BeforeEach
    void savedLog() throws IOException {
        dir = new JobDirectory(tmp);
        Files.createDirectories(dir.log().getParent());
        Files.createDirectories(dir.state(PodLogCopy.POSITION).getParent());
        Files.createFile(dir.log());
    }

    @Test
    void the_next_read_starts_at_the_latest_second_copied_and_skips_what_it_has() throws IOException {
        pod.add(T, "a");
        pod.add(T.plusMillis(100), "b");
        pod.add(T.plusMillis(1500), "c");
        assertThat(PodLogCopy.query(dir)).isEqualTo("&timestamps=true");
        copy(false);
        assertThat(PodLogCopy.query(dir)).isEqualTo("&timestamps=true&sinceTime=2026-12-05T06:00:11Z");
        assertThat(pod.serve("?timestamps=true&sinceTime=2026-12-05T06:00:11Z")).asString().startsWith(T.plusMillis(1500) + " c\n");

        pod.add(T.plusMillis(1700), "d");
        pod.add(T.plusMillis(3000), "e");
        copy(false);
        copy(false);

        assertThat(saved()).isEqualTo("a\nb\nc\nd\ne\n");
    }

    @Test
    void lines_with_the_same_timestamp_are_each_copied_once() throws IOException {
        pod.add(T, "x");
        pod.add(T, "y");
        copy(false);
        pod.add(T, "z");
        pod.add(T, "x");
        copy(false);

        assertThat(saved()).isEqualTo("x\ny\nz\nx\n");
    }

    @Test
    void a_last_line_without_its_newline_waits_while_the_container_runs_and_is_kept_when_it_has_ended() throws IOException {
        copy(T + " a\n" + T.plusMillis(1) + " hal", false);
        assertThat(saved()).isEqualTo("a\n");
        copy(T + " a\n" + T.plusMillis(1) + " half\n" + T.plusMillis(2) + " tai", false);
        assertThat(saved()).isEqualTo("a\nhalf\n");
        copy(T.plusMillis(2) + " tail", true);

        assertThat(saved()).isEqualTo("a\nhalf\ntail");
    }

    @Test
    void after_the_kubelet_rotated_the_log_every_new_line_is_copied() throws IOException {
        pod.add(T, "a");
        pod.add(T.plusMillis(10), "b");
        pod.add(T.plusMillis(20), "c");
        copy(false);
        pod.rotate();
        pod.add(T.plusMillis(30), "d");
        copy(false);
        pod.rotate();
        copy(false);   // an empty new file
        pod.add(T.plusMillis(40), "e");
        copy(false);

        assertThat(saved()).isEqualTo("a\nb\nc\nd\ne\n");
    }

    @Test
    void lines_appended_but_never_recorded_before_a_crash_are_cut_back_and_copied_once() throws IOException {
        pod.add(T, "a");
        copy(false);
        pod.add(T.plusMillis(10), "b");
        Files.writeString(dir.log(), "b\n", java.nio.file.StandardOpenOption.APPEND);   // the server died before recording
        copy(false);

        assertThat(saved()).isEqualTo("a\nb\n");
    }

    @Test
    void a_log_saved_before_positions_were_kept_goes_on_from_its_size() throws IOException {
        Files.writeString(dir.log(), "a\nhal");   // whole reads, without timestamps, a line cut
        pod.add(T, "a");
        pod.add(T.plusMillis(1), "half");
        pod.add(T.plusMillis(2), "b");
        copy(false);
        pod.add(T.plusMillis(3), "c");
        copy(false);

        assertThat(saved()).isEqualTo("a\nhalf\nb\nc\n");
    }

    @Test
    void lines_without_a_timestamp_are_copied_whole() throws IOException {
        copy("plain line\nanother with spaces\n", false);

        assertThat(saved()).isEqualTo("plain line\nanother with spaces\n");
    }

    @Test
    void a_line_longer_than_a_read_buffer_is_copied_whole() throws IOException {
        String longLine = "x".repeat(200_000) + " train_loss=1";
        pod.add(T, longLine);
        pod.add(T.plusMillis(1), "after");
        copy(false);
        copy(false);

        assertThat(saved()).isEqualTo(longLine + "\nafter\n");
    }

    private void copy(boolean ended) throws IOException {
        PodLogCopy.copy(dir, new ByteArrayInputStream(pod.serve("?container=algo" + PodLogCopy.query(dir))), ended);
    }

    private void copy(String answer, boolean ended) throws IOException {
        PodLogCopy.copy(dir, new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)), ended);
    }

    private String saved() throws IOException {
        return Files.readString(dir.log());
    }
}
