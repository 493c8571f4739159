package dev.vernier.cli.watch;

/**
 * What Ctrl-C (or any other end of the process) says while a command follows a tuning job that it
 * does not own: that the tuning job goes on, and the exact command that stops it. Installed for the
 * time the command follows the job; a command that returns normally says nothing.
 */
public final class InterruptNotice implements AutoCloseable {
    private static volatile boolean shown;
    private final Thread hook;

    private InterruptNotice(String text) {
        this.hook = new Thread(() -> {
            shown = true;
            System.out.flush();
            System.err.print("\n" + text + (text.endsWith("\n") ? "" : "\n"));
            System.err.flush();
        }, "interrupt-notice");
    }

    /** Prints {@code text} on stderr if the process ends before {@link #close}. */
    public static InterruptNotice install(String text) {
        InterruptNotice notice = new InterruptNotice(text);
        Runtime.getRuntime().addShutdownHook(notice.hook);
        return notice;
    }

    /** The notice of a tuning job that runs on a server which stays up. */
    public static String jobGoesOn(String launcher, String jobName, String connectionOptions) {
        return "Stopped watching; the tuning job " + jobName + " is still running on the server. To stop it:\n"
                + "  " + launcher + " stop-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name " + jobName + connectionOptions + "\n"
                + "To watch it again:\n"
                + "  " + launcher + " watch " + jobName + connectionOptions;
    }

    /**
     * Whether a notice has been printed: the process is ending on a signal, and an error the command
     * meets meanwhile (its own server closing under it) is part of that ending, not news.
     */
    public static boolean shown() {
        return shown;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran): the process is ending anyway
        }
    }
}
