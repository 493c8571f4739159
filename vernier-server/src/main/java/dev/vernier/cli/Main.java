package dev.vernier.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vernier} command. */
@Command(name = "vernier", mixinStandardHelpOptions = true, version = "vernier 0.1.0",
        description = "Self-hosted hyperparameter tuning that speaks SageMaker's API.",
        subcommands = {ServerCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
