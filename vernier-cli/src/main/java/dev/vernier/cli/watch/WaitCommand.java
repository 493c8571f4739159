package dev.vernier.cli.watch;

import dev.vernier.cli.aws.ClientOptions;
import dev.vernier.cli.aws.SageMakerHttp;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vernier wait NAME}: blocks until a tuning job ends, silently, and exits with its outcome. */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = {"Waits until a tuning job ends; exit code tells how.", "Blocks until a tuning job is Completed, Failed or Stopped, then prints its final status and best training job."},
        footer = {"", "Example:", "  vernier wait my-job && echo tuned", "",
                "Exit codes: 0 Completed, 1 Failed, 2 Stopped, 124 --timeout reached; 254 error from the server, 255 cannot connect."})
public final class WaitCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "the tuning job (HyperParameterTuningJobName)")
    String name;
    @Option(names = "--timeout", paramLabel = "SECONDS", description = "give up after this long (exit 124); default: wait forever")
    Double timeoutSeconds;
    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1", description = "seconds between polls (default 1)")
    double intervalSeconds;
    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws InterruptedException {
        SageMakerHttp http = client.client();
        long deadline = timeoutSeconds == null ? Long.MAX_VALUE : System.nanoTime() + (long) (timeoutSeconds * 1e9);
        while (true) {
            TuningSnapshot s = TuningSnapshot.fetch(http, name);
            if (s.isTerminal()) {
                System.out.println(s.name() + " " + s.status() + ": " + s.finished() + "/" + s.maxJobs() + " training jobs done. "
                        + ProgressView.bestLine(s));
                String reason = s.describe().path("FailureReason").asText("");
                if (!reason.isEmpty()) System.out.println("FailureReason: " + reason);
                return s.exitCode();
            }
            if (System.nanoTime() > deadline) {
                System.err.println(name + " is still " + s.status() + " after " + timeoutSeconds + " s");
                return 124;
            }
            Thread.sleep((long) (intervalSeconds * 1000));
        }
    }
}
