package dev.vernier.server.cli;

import dev.vernier.cli.aws.CliException;
import dev.vernier.cli.aws.OperationCommand;
import dev.vernier.cli.aws.ServiceException;
import dev.vernier.cli.watch.InterruptNotice;
import dev.vernier.cli.watch.LogsCommand;
import dev.vernier.cli.watch.WaitCommand;
import dev.vernier.cli.watch.WatchCommand;
import dev.vernier.server.config.TrainingBackends;
import dev.vernier.server.demo.DemoCommand;
import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code vernier} command: the server, the demo, live views, and every SageMaker operation the
 * server serves, spelled and behaving as {@code aws sagemaker} (also under {@code vernier sagemaker}).
 */
@Command(name = "vernier", mixinStandardHelpOptions = true, version = "vernier 0.1.0",
        description = "Self-hosted hyperparameter tuning that speaks SageMaker's API.",
        footer = {"", "Examples:", "  vernier demo                      # a real tuning job in under two minutes",
                "  vernier server                    # the API server on http://127.0.0.1:8080",
                "  vernier watch my-job              # live progress of a tuning job",
                "  vernier describe-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name my-job",
                "", "Exit codes: 0 success; watch/wait: 1 Failed, 2 Stopped; 252 usage, 253 configuration or credentials,",
                "254 error answered by the server, 255 other errors (e.g. the server cannot be reached), 130 interrupted."})
public final class Main implements Runnable {
    /** Commands that never need the SageMaker operation commands. */
    private static final Set<String> OWN_COMMANDS = Set.of("server", "demo", "watch", "wait", "logs");

    public static void main(String[] args) {
        // Building the operation commands from the service model takes ~0.5 s of start-up, which
        // `vernier server` and the demo need not wait for.
        boolean operations = args.length == 0 || !OWN_COMMANDS.contains(args[0]);
        System.exit(commandLine(operations).execute(args));
    }

    /** The whole command tree with the AWS CLI's error reporting and exit codes. */
    public static CommandLine commandLine() {
        return commandLine(true);
    }

    private static CommandLine commandLine(boolean withOperations) {
        CommandLine root = new CommandLine(new Main());
        root.addSubcommand("server", ServerCommand.commandLine(TrainingBackends.discovered()));
        root.addSubcommand("demo", new DemoCommand());
        root.addSubcommand("watch", new WatchCommand());
        root.addSubcommand("wait", new WaitCommand());
        root.addSubcommand("logs", new LogsCommand());
        if (withOperations) {
            OperationCommand.addAll(root);
            CommandLine sagemaker = new CommandLine(new SageMakerGroup());
            OperationCommand.addAll(sagemaker);
            root.addSubcommand("sagemaker", sagemaker);
        }
        root.addSubcommand("help", new CommandLine.HelpCommand());
        root.setParameterExceptionHandler(Main::usageError);
        root.setExecutionExceptionHandler((e, cmd, parsed) -> report(e));
        root.setUsageHelpAutoWidth(true);
        return root;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "sagemaker", mixinStandardHelpOptions = true,
            description = "The SageMaker operations, spelled as after `aws sagemaker` (also available directly under `vernier`).",
            footer = {"", "Example:", "  vernier sagemaker list-hyper-parameter-tuning-jobs --output table"})
    static final class SageMakerGroup implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("vernier: error: " + e.getMessage());
        err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for its options and an example.");
        err.flush();
        return CliException.USAGE;
    }

    static int report(Exception e) {
        if (InterruptNotice.shown()) return CliException.OTHER;  // interrupted: the notice said what goes on
        if (e instanceof CliException cli) {
            boolean aws = cli instanceof ServiceException || cli.exitCode() == CliException.OTHER;
            String prefix = cli.exitCode() == CliException.USAGE && !cli.getMessage().startsWith("Parameter validation")
                    && !cli.getMessage().startsWith("Error parsing") && !cli.getMessage().startsWith("Bad value")
                    ? "vernier: error: " : "";
            System.err.print((aws ? "\n" : "") + prefix + cli.getMessage() + "\n");
            System.err.flush();
            return cli.exitCode();
        }
        System.err.println();
        System.err.println(e);
        return CliException.OTHER;
    }
}
