package dev.vernier.cli.aws;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the CLI finds its endpoint, region, credentials and timestamp format, as the AWS CLI does,
 * with Vernier's fallbacks. Credentials: {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
 * (unless {@code --profile} is given), then the profile ({@code --profile}, {@code AWS_PROFILE},
 * else {@code default}) in {@code AWS_SHARED_CREDENTIALS_FILE} (~/.aws/credentials) and in
 * {@code AWS_CONFIG_FILE} (~/.aws/config), then the key a local server generated:
 * profile {@code vernier} of {@code <data-dir>/credentials} ({@code VERNIER_DATA_DIR}, else {@code .vernier}).
 */
public record AwsConfig(String endpoint, String region, Credentials credentials, Timestamps.Format timestampFormat) {
    public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:8080";

    public record Credentials(String accessKeyId, String secretAccessKey, String source) {}

    /** Resolves everything but the credentials, which are looked up on first use. */
    public static AwsConfig resolve(String endpointFlag, String regionFlag, String profileFlag, Map<String, String> env) {
        Path home = Path.of(System.getProperty("user.home"));
        Path credentialsFile = path(env.get("AWS_SHARED_CREDENTIALS_FILE"), home.resolve(".aws/credentials"));
        Path configFile = path(env.get("AWS_CONFIG_FILE"), home.resolve(".aws/config"));
        String profile = profileFlag != null ? profileFlag : env.getOrDefault("AWS_PROFILE", env.get("AWS_DEFAULT_PROFILE"));
        IniFile credentials = IniFile.read(credentialsFile);
        IniFile config = IniFile.read(configFile);
        String name = profile == null ? "default" : profile;
        Map<String, String> credSection = credentials.section(name);
        Map<String, String> configSection = config.section(name.equals("default") ? "default" : "profile " + name);
        if (profileFlag != null && credSection == null && configSection == null) {
            throw new CliException(CliException.CONFIGURATION, "The config profile (" + profileFlag + ") could not be found");
        }
        String endpoint = first(endpointFlag, env.get("VERNIER_ENDPOINT_URL"), env.get("AWS_ENDPOINT_URL_SAGEMAKER"),
                env.get("AWS_ENDPOINT_URL"), get(configSection, "endpoint_url"), DEFAULT_ENDPOINT);
        String region = first(regionFlag, env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"), get(configSection, "region"), "us-east-1");
        String format = first(get(configSection, "cli_timestamp_format"), "iso8601");
        Timestamps.Format timestamps = switch (format) {
            case "iso8601" -> Timestamps.Format.ISO8601;
            case "wire", "none" -> Timestamps.Format.WIRE;
            default -> throw new CliException(CliException.CONFIGURATION, "Unknown cli_timestamp_format value: " + format
                    + ", valid values are: wire or iso8601");
        };
        Credentials found = credentials(profileFlag != null, env, credSection, configSection, profile);
        return new AwsConfig(endpoint, region, found, timestamps);
    }

    public Credentials requireCredentials() {
        if (credentials == null) {
            throw new CliException(CliException.CONFIGURATION, "Unable to locate credentials. Set AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY, use an AWS profile, or run a local server (./vernier server), whose generated key "
                    + "in <data-dir>/credentials is used when VERNIER_DATA_DIR (default .vernier) points at its data directory.");
        }
        return credentials;
    }

    private static Credentials credentials(boolean explicitProfile, Map<String, String> env, Map<String, String> credSection,
                                           Map<String, String> configSection, String profile) {
        if (!explicitProfile && env.get("AWS_ACCESS_KEY_ID") != null && env.get("AWS_SECRET_ACCESS_KEY") != null) {
            return new Credentials(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"), "environment");
        }
        for (Map<String, String> section : new Map[] {credSection, configSection}) {
            if (section != null && section.get("aws_access_key_id") != null && section.get("aws_secret_access_key") != null) {
                return new Credentials(section.get("aws_access_key_id"), section.get("aws_secret_access_key"),
                        "profile " + (profile == null ? "default" : profile));
            }
        }
        if (explicitProfile) return null;
        Path dataDir = Path.of(env.getOrDefault("VERNIER_DATA_DIR", ".vernier"));
        Map<String, String> vernier = IniFile.read(dataDir.resolve("credentials")).section("vernier");
        if (vernier != null && vernier.get("aws_access_key_id") != null) {
            return new Credentials(vernier.get("aws_access_key_id"), vernier.get("aws_secret_access_key"),
                    dataDir.resolve("credentials").toString());
        }
        return null;
    }

    private static Path path(String value, Path fallback) {
        if (value == null || value.isBlank()) return fallback;
        return Path.of(value.startsWith("~/") ? System.getProperty("user.home") + value.substring(1) : value);
    }

    private static String get(Map<String, String> section, String key) {
        return section == null ? null : section.get(key);
    }

    private static String first(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return null;
    }

    /** The configuration for a server this process started: its endpoint and the key in its data directory. */
    public static AwsConfig forLocalServer(String endpoint, String region, Path dataDir) {
        Map<String, String> vernier = IniFile.read(dataDir.resolve("credentials")).section("vernier");
        if (vernier == null) throw new CliException(CliException.CONFIGURATION, "no generated key in " + dataDir.resolve("credentials"));
        return new AwsConfig(endpoint, region, new Credentials(vernier.get("aws_access_key_id"), vernier.get("aws_secret_access_key"),
                dataDir.resolve("credentials").toString()), Timestamps.Format.ISO8601);
    }
}
