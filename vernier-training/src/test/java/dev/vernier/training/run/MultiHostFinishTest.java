package dev.vernier.training.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.training.RunResult.Status;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.training.jobdir.HostDirectories;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.TrainingHost;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a job of several hosts ends: its artifacts merged from every host, a failing host's reason. */
class MultiHostFinishTest {
    @TempDir Path tmp;

    private final TrainingJobSpec spec = new TrainingJobSpec("job-1", "arn:aws:sagemaker:us-east-1:123456789012:training-job/job-1",
            null, "file:///bin/true", "File", Map.of(), Map.of(), List.of(), List.of(), "s3://models/out",
            new TrainingJobSpec.Resources("ml.m5.large", 3, 10), 60, false);

    @Test
    void the_model_merges_every_hosts_files_and_a_path_several_hosts_wrote_is_the_first_hosts() throws Exception {
        var job = new JobDirectory(tmp.resolve("jobs/job-1"));
        var hosts = HostDirectories.create(job, spec, TrainingHost.cluster(3, 1, 0, "lo"));
        for (int k = 0; k < 3; k++) {
            Files.writeString(hosts.get(k).model().resolve("model.bin"), "from algo-" + (k + 1));
            Files.writeString(hosts.get(k).model().resolve("algo-" + (k + 1) + ".txt"), "own");
        }
        assertThat(HostDirectories.all(job)).isEqualTo(hosts);
        var store = new DirectoryObjectStore(tmp.resolve("store"));

        var result = new RunFinisher(store).finish(job, LaunchRecord.of(spec, 1 << 20, Instant.EPOCH), null,
                new ExitStatus(0, Instant.EPOCH.plusSeconds(5)), Instant.EPOCH.plusSeconds(6));

        assertThat(result.status()).isEqualTo(Status.COMPLETED);
        var model = untar(tmp.resolve("store/models/out/job-1/output/model.tar.gz"));
        assertThat(model).containsOnlyKeys("model.bin", "algo-1.txt", "algo-2.txt", "algo-3.txt");
        assertThat(model.get("model.bin")).isEqualTo("from algo-1");
    }

    @Test
    void the_first_failed_host_gives_the_reason_and_a_stop_after_it_does_not_make_the_job_stopped() throws Exception {
        var job = new JobDirectory(tmp.resolve("jobs/job-1"));
        var hosts = HostDirectories.create(job, spec, TrainingHost.cluster(3, 1, 0, "lo"));
        Files.writeString(hosts.get(1).log(), "epoch 1\nout of memory\n");
        Files.writeString(job.state(HostDirectories.FAILED_HOST), "algo-2 3\n");
        var laterStop = new StopRequest(Instant.EPOCH.plusSeconds(4), StopCause.USER_REQUEST);

        var result = new RunFinisher(new DirectoryObjectStore(tmp.resolve("store"))).finish(job,
                LaunchRecord.of(spec, 1 << 20, Instant.EPOCH), laterStop, null, Instant.EPOCH.plusSeconds(6));

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.failureReason()).isEqualTo("AlgorithmError: host algo-2: the training program exited with code 3. "
                + "Last log lines:\nepoch 1\nout of memory");
        assertThat(HostDirectories.failedHost(job)).contains(new HostDirectories.FailedHost("algo-2", 3));
    }

    private static Map<String, String> untar(Path archive) throws Exception {
        Map<String, String> files = new TreeMap<>();
        dev.vernier.testkit.training.TarEntries.files(archive).forEach((name, bytes) -> files.put(name, new String(bytes)));
        return files;
    }
}
