package dev.vernier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.server.TestServer;
import dev.vernier.server.Waits;
import dev.vernier.testkit.Programs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** watch (not on a terminal), wait and logs, as separate processes against a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchWaitLogsTest {
    @TempDir
    static Path dir;
    TestServer server;
    Cli cli;
    String endpoint;

    @BeforeAll
    void start() {
        server = TestServer.start(dir.resolve("server"));
        endpoint = server.endpoint().toString();
        cli = Cli.withTestKey(dir);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private void create(String name, String program, int maxJobs, String sleepSeconds) {
        Path request = TuningRequests.file(dir, name, Programs.image(program), maxJobs, 2, sleepSeconds);
        Cli.Result r = cli.run("create-hyper-parameter-tuning-job", "--cli-input-json", "file://" + request, "--endpoint-url", endpoint);
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void watchPrintsOneLinePerFinishedTrainingJobAndExitsZeroWhenCompleted() {
        create("watched", "quadratic.sh", 4, "3");
        Cli.Result watch = cli.run("watch", "watched", "--endpoint-url", endpoint);
        assertThat(watch.exitCode()).as(watch.toString()).isZero();
        List<String> lines = watch.stdout().lines().toList();
        assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d watched InProgress \\(Random, 4 training jobs, minimize loss\\)");
        assertThat(lines).filteredOn(l -> l.matches(".* \\[\\d/4] watched-00\\d-[0-9a-f]{8} Completed loss=[0-9.]+  lr=.*")).hasSize(4);
        assertThat(lines).anyMatch(l -> l.contains("Best loss: "));
        assertThat(lines.get(lines.size() - 1)).matches(".* watched Completed: 4/4 training jobs done; trend \\S{4}  best so far .*");
        assertThat(watch.stdout()).doesNotContain("\033[");
    }

    @Test
    void watchShowsWhyATrainingJobFailed() {
        create("failing-watched", "fails.sh", 1, "0");
        Cli.Result watch = cli.run("watch", "failing-watched", "--endpoint-url", endpoint);
        assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(1);
        assertThat(watch.stdout()).containsPattern("\\[1/1] failing-watched-001-[0-9a-f]{8} Failed  lr=\\S+\n"
                + "    AlgorithmError: the training program exited with code 3\\. Last log lines:\n(    working on batch \\d+\n)+"
                + "    Traceback: division by zero\n");
    }

    @Test
    void ctrlCInWatchSaysThatTheJobGoesOnAndPrintsTheCommandThatStopsIt() throws InterruptedException {
        create("interrupted", "sleeps.sh", 1, "0");
        Cli.Running watch = cli.start("watch", "interrupted", "--endpoint-url", endpoint);
        for (int i = 0; i < 600 && !watch.stdout().contains("interrupted InProgress"); i++) Thread.sleep(100);
        Cli.Result interrupted = watch.interrupt();
        assertThat(interrupted.exitCode()).as(interrupted.toString()).isEqualTo(Cli.Running.interruptedExitCode());
        String stop = "vernier stop-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name interrupted --endpoint-url " + endpoint;
        assertThat(interrupted.stderr()).isEqualTo("\nStopped watching; the tuning job interrupted is still running on the server. To stop it:\n"
                + "  " + stop + "\nTo watch it again:\n  vernier watch interrupted --endpoint-url " + endpoint + "\n");
        assertThat(server.client().describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("interrupted"))
                .hyperParameterTuningJobStatusAsString()).isEqualTo("InProgress");

        Cli.Result stopped = cli.run(stop.substring("vernier ".length()).split(" "));
        assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
        assertThat(Waits.terminal(server.client(), "interrupted").hyperParameterTuningJobStatusAsString()).isEqualTo("Stopped");
    }

    @Test
    void watchOnATerminalThatReportsNoWidthDrawsWholeLines() {
        create("on-a-pty", "quadratic.sh", 2, "0");
        Cli.Result watch = cli.env("COLUMNS", null).env("LC_ALL", "C.UTF-8").runInTerminal("watch", "on-a-pty", "--endpoint-url", endpoint);
        assertThat(watch.exitCode()).as(watch.toString()).isZero();
        assertThat(watch.stdout()).contains("\033[2KTuning job on-a-pty  Completed  Random, minimize loss  elapsed ")
                // clipped at the 80 columns assumed when the terminal does not say
                .contains("\033[2K[##############################] 2/2 training jobs done  0 running  0 failed  0…\r\n")
                .doesNotContain("\033[2K…");
    }

    @Test
    void waitExitsWithTheTuningJobsOutcome() {
        create("waited", "quadratic.sh", 2, "0");
        Cli.Result completed = cli.run("wait", "waited", "--endpoint-url", endpoint);
        assertThat(completed.exitCode()).as(completed.toString()).isZero();
        assertThat(completed.stdout()).startsWith("waited Completed: 2/2 training jobs done. Best loss: ");

        create("failing", "fails.sh", 2, "0");
        Cli.Result failed = cli.run("wait", "failing", "--endpoint-url", endpoint);
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.stdout()).contains("failing Failed").contains("FailureReason: ");

        create("stopped", "sleeps.sh", 1, "0");
        Cli.Result timedOut = cli.run("wait", "stopped", "--timeout", "0.5", "--endpoint-url", endpoint);
        assertThat(timedOut.exitCode()).isEqualTo(124);
        server.client().stopHyperParameterTuningJob(r -> r.hyperParameterTuningJobName("stopped"));
        Cli.Result stopped = cli.run("wait", "stopped", "--endpoint-url", endpoint);
        assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(2);

        Cli.Result missing = cli.run("watch", "no-such-job", "--endpoint-url", endpoint);
        assertThat(missing.exitCode()).isEqualTo(254);
        assertThat(missing.stderr()).contains("(ResourceNotFound) when calling the DescribeHyperParameterTuningJob operation");
    }

    @Test
    void logsPrintsATrainingJobsOutputAndFollowsItToTheEnd() throws InterruptedException {
        create("logged", "quadratic.sh", 1, "1");
        String job = firstTrainingJob("logged");
        Cli.Result followed = cli.run("logs", job, "--follow", "--endpoint-url", endpoint);
        assertThat(followed.exitCode()).as(followed.toString()).isZero();
        assertThat(followed.stdout()).containsPattern("epoch=1 loss=[0-9.]+\nepoch=2 loss=[0-9.]+\n");
        Waits.terminal(server.client(), "logged");

        Cli.Result again = cli.run("logs", job, "--endpoint-url", endpoint);
        assertThat(again.stdout()).isEqualTo(followed.stdout());
        Cli.Result tail = cli.run("logs", job, "--offset", "8", "--endpoint-url", endpoint);
        assertThat(tail.stdout()).isEqualTo(followed.stdout().substring(8));

        Cli.Result missing = cli.run("logs", "no-such-training-job", "--endpoint-url", endpoint);
        assertThat(missing.exitCode()).isEqualTo(254);
        assertThat(missing.stderr()).startsWith("\nAn error occurred (ResourceNotFound)");
    }

    private String firstTrainingJob(String tuningJob) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            var jobs = server.client().listTrainingJobsForHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(tuningJob))
                    .trainingJobSummaries();
            if (!jobs.isEmpty()) return jobs.get(0).trainingJobName();
            Thread.sleep(100);
        }
        throw new AssertionError("no training job in " + tuningJob);
    }
}
