package dev.vernier.cli.aws;

/** A failure the CLI reports in one message and an exit code, as the AWS CLI v2 does. */
public class CliException extends RuntimeException {
    /** Command syntax was invalid, an unknown parameter, or a bad parameter value. */
    public static final int USAGE = 252;
    /** The environment or configuration is invalid: no credentials, an unknown profile. */
    public static final int CONFIGURATION = 253;
    /** The service answered with an error. */
    public static final int SERVICE = 254;
    /** Anything else, such as an endpoint that cannot be reached. */
    public static final int OTHER = 255;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
