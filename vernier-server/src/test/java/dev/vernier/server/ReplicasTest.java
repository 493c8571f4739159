package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.testkit.Programs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobSummary;

/** Server processes on one PostgreSQL database and data directory: any answers anything, one drives each tuning job. */
@Tag("postgresql")
class ReplicasTest {
    @TempDir
    Path dir;
    private Replicas replicas;

    @AfterEach
    void stop() {
        if (replicas != null) replicas.close();
        CrashRecoveryTest.killProcessGroupsUnder(dir);
    }

    @Test
    void whatOneReplicaAcknowledgesEveryOtherAnswersAtOnce() {
        replicas = new Replicas(dir, 2, "--stop-grace-seconds", "2");
        SageMakerClient a = replicas.servers.get(0).client(), b = replicas.servers.get(1).client();
        a.createHyperParameterTuningJob(Requests.create("shared", Programs.image("sleeps.sh"),
                Map.of(), 2, 1));
        var onA = a.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("shared"));
        var onB = b.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("shared"));
        assertThat(onB.hyperParameterTuningJobArn()).isEqualTo(onA.hyperParameterTuningJobArn());
        assertThat(onB.hyperParameterTuningJobConfig()).isEqualTo(onA.hyperParameterTuningJobConfig());
        assertThat(b.listHyperParameterTuningJobs(r -> r.nameContains("shar")).hyperParameterTuningJobSummaries())
                .extracting(HyperParameterTuningJobSummary::hyperParameterTuningJobName).containsExactly("shared");
        b.addTags(r -> r.resourceArn(onA.hyperParameterTuningJobArn()).tags(t -> t.key("team").value("ha")));
        assertThat(a.listTags(r -> r.resourceArn(onA.hyperParameterTuningJobArn())).tags().stream()
                .map(t -> t.key() + "=" + t.value()).toList()).containsExactly("team=ha");
        b.stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("shared"));
        assertThat(a.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("shared")).hyperParameterTuningJobStatus())
                .isIn(HyperParameterTuningJobStatus.STOPPING, HyperParameterTuningJobStatus.STOPPED);
        assertThat(Waits.terminal(a, "shared").hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.STOPPED);
    }

    @Test
    void tuningJobsSpreadAcrossReplicasAndEachRunsEveryTrainingJobOnce() throws Exception {
        replicas = new Replicas(dir, 2);
        Path runs = TestServer.fileEveryProgramCanAppendTo(dir.resolve("runs.txt"));
        List<String> names = List.of("spread-a", "spread-b", "spread-c", "spread-d");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            replicas.servers.get(i % 2).client().createHyperParameterTuningJob(Requests.create(name,
                    Programs.image("five_epochs.sh"), Map.of("RUNS_FILE", runs.toString(), "EPOCH_SECONDS", "0.3"), 4, 2));
        }
        Set<Long> drivers = new HashSet<>();
        for (String name : names) drivers.add(replicas.awaitOwner(name, 10_000).pid());
        assertThat(drivers).as("servers driving the four tuning jobs").hasSize(2);
        SageMakerClient b = replicas.servers.get(1).client();
        for (String name : names) {
            DescribeHyperParameterTuningJobResponse d = Waits.terminal(b, name);
            assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
            assertThat(d.trainingJobStatusCounters().completed()).isEqualTo(4);
            assertThat(b.listTrainingJobsForHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name))
                    .trainingJobSummaries()).hasSize(4);
        }
        Map<String, Long> runsPerJob = Files.readAllLines(runs).stream()
                .collect(Collectors.groupingBy(l -> l.split(" ")[0], Collectors.counting()));
        assertThat(runsPerJob).hasSize(16);
        assertThat(runsPerJob.values()).as("runs per training job").allMatch(n -> n == 1);
    }

    @Test
    void aReplicaShuttingDownHandsItsTuningJobOverAtOnce() throws Exception {
        replicas = new Replicas(dir, 2, "--stop-grace-seconds", "2");
        Path runs = TestServer.fileEveryProgramCanAppendTo(dir.resolve("runs.txt"));
        replicas.servers.get(0).client().createHyperParameterTuningJob(Requests.create("handover",
                Programs.image("five_epochs.sh"), Map.of("RUNS_FILE", runs.toString(), "EPOCH_SECONDS", "0.4"), 6, 2));
        Replicas.StoredLease first = replicas.awaitOwner("handover", 10_000);
        int owner = replicas.indexOf(first.pid());
        Thread.sleep(1_500);   // mid-run: training jobs are running
        long stopped = System.currentTimeMillis();
        replicas.servers.get(owner).terminate();
        Replicas.StoredLease next = replicas.awaitOwnerOtherThan("handover", first.owner(), 10_000);
        long handover = System.currentTimeMillis() - stopped;
        System.out.printf("replicas: clean shutdown handed the tuning job over in %d ms%n", handover);
        assertThat(next.fence()).isGreaterThan(first.fence());
        assertThat(handover).as("milliseconds from SIGTERM to the other server's lease").isLessThan(5_000);
        SageMakerClient other = replicas.servers.get(1 - owner).client();
        DescribeHyperParameterTuningJobResponse d = Waits.terminal(other, "handover");
        assertThat(d.hyperParameterTuningJobStatus()).isEqualTo(HyperParameterTuningJobStatus.COMPLETED);
        List<HyperParameterTrainingJobSummary> jobs = other.listTrainingJobsForHyperParameterTuningJobPaginator(
                r -> r.hyperParameterTuningJobName("handover")).trainingJobSummaries().stream().toList();
        assertThat(d.trainingJobStatusCounters().completed()).isEqualTo(6);
        assertThat(jobs).hasSize(6);
        Map<String, Long> runsPerJob = Files.readAllLines(runs).stream()
                .collect(Collectors.groupingBy(l -> l.split(" ")[0], Collectors.counting()));
        assertThat(runsPerJob.values()).as("runs per training job " + runsPerJob).allMatch(n -> n == 1);
        assertThat(runsPerJob).hasSize(6);
    }
}
