package dev.vernier.cli.aws;

/** An error answered by the server, printed as the AWS CLI prints a botocore {@code ClientError}. */
public final class ServiceException extends CliException {
    private final String code;
    private final String operation;

    public ServiceException(String code, String message, String operation) {
        super(SERVICE, "An error occurred (" + code + ") when calling the " + operation + " operation: " + message);
        this.code = code;
        this.operation = operation;
    }

    public String code() {
        return code;
    }

    public String operation() {
        return operation;
    }
}
