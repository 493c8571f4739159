package dev.vernier.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.RunObservation;
import dev.vernier.core.training.TrainingBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poll of a run whose pod has printed 20 MB reads only what is new from the pod log API. Times
 * go to target/pod-log-polls.txt and docs/benchmarks.md, next to reading the whole log as each poll
 * did before; the test itself checks bytes, not times.
 */
class PodLogPollScaleTest {
    private static final int LINES = 200_000;
    private static final int ROUNDS = 21;

    @TempDir Path dir;

    @Test
    void a_poll_reads_only_the_new_lines_of_a_20_mb_pod_log() throws Exception {
        try (var cluster = new MockCluster()) {
            TrainingBackend backend = cluster.backend(MockCluster.context(dir, Clock.systemUTC(), Duration.ofSeconds(7), Map.of()));
            RunHandle handle = backend.launch(KubernetesTrainingBackendTest.spec("big-log")).handle();
            String pod = cluster.startPod("big-log");
            cluster.running(pod);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < LINES; i++)
                text.append("step ").append(i).append(" of the warm-up, a line of filler to make a hundred bytes................................\n");
            text.append("train_loss=0\n");
            long size = text.length();
            cluster.print(pod, text.toString());
            boolean caughtUp = false;
            for (int polls = 0; !caughtUp && polls < 100; polls++) {   // a poll parses at most 1 MiB of what it read
                RunObservation seen = backend.poll(handle);
                handle = seen.handle();
                caughtUp = !seen.newPoints().isEmpty();
            }
            assertThat(caughtUp).isTrue();

            List<Long> pollNanos = new ArrayList<>();
            List<Long> bytes = new ArrayList<>();
            for (int i = 1; i <= ROUNDS; i++) {
                cluster.print(pod, "train_loss=" + i + "\n");
                long served = cluster.logBytesServed.get();
                long start = System.nanoTime();
                RunObservation seen = backend.poll(handle);
                pollNanos.add(System.nanoTime() - start);
                bytes.add(cluster.logBytesServed.get() - served);
                handle = seen.handle();
                assertThat(seen.newPoints()).extracting(MetricPoint::value).containsExactly((double) i);
            }

            HttpClient http = HttpClient.newHttpClient();
            URI whole = cluster.client.getMasterUrl().toURI().resolve("api/v1/namespaces/" + MockCluster.NAMESPACE
                    + "/pods/" + pod + "/log?container=" + JobSpecs.CONTAINER);
            List<Long> wholeNanos = new ArrayList<>();
            long wholeBytes = 0;
            for (int i = 0; i < ROUNDS; i++) {
                long start = System.nanoTime();
                wholeBytes = http.send(HttpRequest.newBuilder(whole).build(), HttpResponse.BodyHandlers.discarding())
                        .headers().firstValueAsLong("content-length").orElse(-1);
                wholeNanos.add(System.nanoTime() - start);
            }
            backend.close();

            String report = String.format("pod log of %,d bytes (%,d lines): a poll after one new line: median %.2f ms, "
                    + "median %d bytes read (the first poll after the burst: %,d bytes, %.1f ms); reading the whole log "
                    + "(each poll before): median %.2f ms, %,d bytes%n", size, LINES + 1 + ROUNDS, median(pollNanos) / 1e6,
                    median(bytes), bytes.getFirst(), pollNanos.getFirst() / 1e6, median(wholeNanos) / 1e6, wholeBytes);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "pod-log-polls.txt"), report);
            System.out.print(report);
            // The first read after the burst reads again the lines printed in the latest second it copied
            // (the API server's sinceTime has whole seconds), here nearly all; from then on, a few lines.
            assertThat(bytes.subList(1, ROUNDS)).allMatch(b -> b < 1024);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
