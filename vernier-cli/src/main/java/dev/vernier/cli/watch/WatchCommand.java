package dev.vernier.cli.watch;

import dev.vernier.cli.Launcher;
import dev.vernier.cli.aws.ClientOptions;
import dev.vernier.cli.aws.SageMakerHttp;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vernier watch NAME}: a live view of a tuning job until it ends. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Shows a tuning job live until it ends.", "Shows a progress bar of training jobs done out of the budget, the "
                + "running jobs, the best objective so far and its trend, and the elapsed time. Redrawn in place on a terminal; "
                + "one plain line per event (a training job ending, a new best) otherwise."},
        footer = {"", "Example:", "  vernier watch my-job --endpoint-url http://127.0.0.1:8080", "",
                "Ctrl-C stops watching, not the tuning job: it prints the command that stops the job.", "",
                "Exit codes: 0 Completed, 1 Failed, 2 Stopped; 254 error from the server (e.g. no such job), 255 cannot connect."})
public final class WatchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "the tuning job (HyperParameterTuningJobName)")
    String name;
    @Option(names = "--plain", description = "plain lines even on a terminal")
    boolean plain;
    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws InterruptedException {
        SageMakerHttp http = client.client();
        try (InterruptNotice notice = InterruptNotice.install(InterruptNotice.jobGoesOn(Launcher.command(), name, client.repeat(http.config())))) {
            return Watcher.forStdout(http, plain ? Boolean.TRUE : null).watch(name).exitCode();
        }
    }
}
