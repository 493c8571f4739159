package dev.vernier.cli.aws;

import picocli.CommandLine.Option;

/** The AWS CLI's connection options, shared by every command that calls a server. */
public final class ClientOptions {
    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "server to call (default: VERNIER_ENDPOINT_URL, AWS_ENDPOINT_URL, else " + AwsConfig.DEFAULT_ENDPOINT + ")")
    String endpointUrl;
    @Option(names = "--region", paramLabel = "REGION", description = "region to sign for (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's, else us-east-1)")
    String region;
    @Option(names = "--profile", paramLabel = "NAME", description = "profile of the AWS credentials and config files (default: AWS_PROFILE, else default)")
    String profile;

    public String endpointUrl() {
        return endpointUrl;
    }

    public AwsConfig config() {
        return AwsConfig.resolve(endpointUrl, region, profile, System.getenv());
    }

    public SageMakerHttp client() {
        return new SageMakerHttp(config());
    }

    /** The options that reach the same server as {@code config} does, to repeat in a command a message suggests. */
    public String repeat(AwsConfig config) {
        return " --endpoint-url " + config.endpoint() + (region == null ? "" : " --region " + region)
                + (profile == null ? "" : " --profile " + profile);
    }
}
