package dev.vernier.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vernier.cli.aws.ClientOptions;
import dev.vernier.cli.aws.SageMakerHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vernier logs TRAINING_JOB}: a training job's output, from Vernier's log endpoint. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Prints a training job's log (--follow: until it ends).", "Prints a training job's log (its standard output and error), read from the server's "
                + "GET /v1/training-jobs/NAME/log endpoint; with --follow, keeps printing until the job ends."},
        footer = {"", "Example:", "  vernier logs my-job-001-1a2b3c4d --follow", "",
                "Exit codes: 0 printed; 254 error from the server (e.g. no such training job), 255 cannot connect."})
public final class LogsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TRAINING_JOB", description = "the training job's name")
    String name;
    @Option(names = {"-f", "--follow"}, description = "keep printing new output until the training job ends")
    boolean follow;
    @Option(names = "--offset", paramLabel = "BYTES", defaultValue = "0", description = "start at this byte of the log (default 0)")
    long offset;
    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws InterruptedException {
        SageMakerHttp http = client.client();
        String path = "/v1/training-jobs/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/log";
        long next = offset;
        while (true) {
            JsonNode chunk = http.get("GetTrainingJobLog", path + "?offset=" + next);
            String log = chunk.path("Log").asText("");
            System.out.print(log);
            System.out.flush();
            next = chunk.path("NextOffset").asLong(next);
            if (chunk.path("EndOfLog").asBoolean(false)) return 0;
            if (log.isEmpty()) {
                if (!follow) return 0;
                Thread.sleep(500);
            }
        }
    }
}
