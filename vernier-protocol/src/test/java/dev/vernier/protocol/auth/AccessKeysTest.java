package dev.vernier.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessKeysTest {
    @TempDir Path dataDir;

    @Test
    void theFirstStartGeneratesAnAwsShapedKeyPairIntoAnOwnerOnlyCredentialsFile() throws IOException {
        AccessKeys keys = AccessKeys.loadOrCreate(List.of(), dataDir);

        Path file = dataDir.resolve("credentials").toAbsolutePath();
        assertThat(keys.generatedNow()).isTrue();
        assertThat(keys.credentialsFile()).contains(file);
        assertThat(keys.primary().id()).matches("AKIA[A-Z0-9]{16}");
        assertThat(keys.primary().secret()).matches("[A-Za-z0-9+/]{40}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("[vernier]\naws_access_key_id = " + keys.primary().id()
                + "\naws_secret_access_key = " + keys.primary().secret() + "\n");
        try (var leftovers = Files.list(dataDir)) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void laterStartsLoadTheSameKeysFromTheFile() {
        AccessKey first = AccessKeys.loadOrCreate(List.of(), dataDir).primary();

        AccessKeys again = AccessKeys.loadOrCreate(List.of(), dataDir);

        assertThat(again.generatedNow()).isFalse();
        assertThat(again.primary()).isEqualTo(first);
        assertThat(again.secretFor(first.id())).contains(first.secret());
    }

    @Test
    void configuredKeysTakePrecedenceAndLeaveTheDataDirectoryAlone() {
        AccessKey generated = AccessKeys.loadOrCreate(List.of(), dataDir).primary();
        AccessKey configured = new AccessKey("AKIACONFIGURED000001", "configured-secret");

        AccessKeys keys = AccessKeys.loadOrCreate(List.of(configured), dataDir.resolve("elsewhere"));
        AccessKeys overFile = AccessKeys.loadOrCreate(List.of(configured), dataDir);

        assertThat(Files.exists(dataDir.resolve("elsewhere"))).isFalse();
        assertThat(keys.credentialsFile()).isEmpty();
        assertThat(overFile.secretFor(configured.id())).contains("configured-secret");
        assertThat(overFile.secretFor(generated.id())).isEmpty();
    }

    @Test
    void anExistingFileWithoutTheProfileIsReportedAndKept() throws IOException {
        Path file = dataDir.resolve("credentials");
        Files.writeString(file, "[default]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = x\n");

        assertThatThrownBy(() -> AccessKeys.loadOrCreate(List.of(), dataDir))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no profile [vernier]");
        assertThat(Files.readString(file)).startsWith("[default]");
    }

    @Test
    void generatedKeysDifferEachTime() {
        SecureRandom random = new SecureRandom();
        assertThat(AccessKeys.generate(random)).isNotEqualTo(AccessKeys.generate(random));
    }

    @Test
    void theUsageHintNamesTheFileProfileEndpointAndRegion() {
        AccessKeys keys = AccessKeys.loadOrCreate(List.of(), dataDir);

        assertThat(keys.usageHint(URI.create("http://127.0.0.1:8123"), "us-east-1")).isEqualTo(
                "export AWS_SHARED_CREDENTIALS_FILE=" + dataDir.resolve("credentials").toAbsolutePath()
                        + " AWS_PROFILE=vernier; aws sagemaker list-hyper-parameter-tuning-jobs"
                        + " --endpoint-url http://127.0.0.1:8123 --region us-east-1");
    }

    @Test
    void theUsageHintQuotesOddPathsAndNeverShowsAConfiguredSecret() {
        AccessKeys generated = AccessKeys.loadOrCreate(List.of(), dataDir.resolve("it's here"));
        AccessKeys configured = AccessKeys.of(List.of(new AccessKey("AKIACONFIGURED000001", "configured-secret")));

        assertThat(generated.usageHint(URI.create("http://h:1"), "eu-west-1")).contains("'\\''s here/credentials'");
        assertThat(configured.usageHint(URI.create("http://h:1"), "eu-west-1"))
                .startsWith("export AWS_ACCESS_KEY_ID=AKIACONFIGURED000001 AWS_SECRET_ACCESS_KEY=")
                .doesNotContain("configured-secret");
        assertThat(configured.primary().toString()).doesNotContain("configured-secret");
    }

    @Test
    void botocoreReadsTheGeneratedCredentialsFile() throws IOException {
        Botocore.assumeAvailable();
        AccessKeys keys = AccessKeys.loadOrCreate(List.of(), dataDir);

        Botocore.Result result = Botocore.run(List.of("python3", "-c", """
                import botocore.session
                credentials = botocore.session.Session().get_credentials()
                print(credentials.access_key + ' ' + credentials.secret_key)
                """), "", Map.of("AWS_SHARED_CREDENTIALS_FILE", keys.credentialsFile().orElseThrow().toString(),
                "AWS_PROFILE", "vernier", "AWS_CONFIG_FILE", dataDir.resolve("no-config").toString()));

        assertThat(result.output().strip()).isEqualTo(keys.primary().id() + " " + keys.primary().secret());
    }
}
