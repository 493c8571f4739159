package dev.vernier.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh {@code vernier server} (its own process, default settings) serves its directory store
 * over the S3 protocol with its own keys: the AWS CLI uploads into it and the files are where
 * training jobs stage channels from. Needs the AWS CLI (.ci/setup-awscli.sh installs it in CI).
 */
class AwsCliS3Test {
    private static final Pattern SERVED = Pattern.compile("served over S3 at (http://\\S+),");

    @TempDir Path tmp;

    @Test
    void theAwsCliCopiesIntoTheDirectoryStoreOfAFreshServer() throws Exception {
        assumeTrue(System.getenv("CI") != null || onPath("aws"), "the AWS CLI is not installed");
        Path output = tmp.resolve("server.out");
        Path data = tmp.resolve("data");
        try (ServerProcess server = ServerProcess.start(data, output)) {
            Matcher m = SERVED.matcher(Files.readString(output));
            assertThat(m.find()).as("the server says where it serves S3:%n%s", Files.readString(output)).isTrue();
            String endpoint = m.group(1);
            Path local = Files.createDirectories(tmp.resolve("upload/deep"));
            byte[] big = new byte[(9 << 20) + 17];   // past the CLI's 8 MiB multipart threshold
            new Random(3).nextBytes(big);
            Files.write(local.resolve("big.bin"), big);
            Files.writeString(local.resolveSibling("small.csv"), "a,b\n1,2\n");

            assertThat(aws(endpoint, TestServer.SECRET_KEY, "s3", "mb", "s3://datasets").exit).isZero();
            Result copy = aws(endpoint, TestServer.SECRET_KEY, "s3", "cp", "--recursive", tmp.resolve("upload").toString(),
                    "s3://datasets/train/");
            assertThat(copy.exit).as(copy.output).isZero();

            Path bucket = data.resolve("s3/datasets");
            assertThat(Files.readAllBytes(bucket.resolve("train/deep/big.bin"))).isEqualTo(big);
            assertThat(bucket.resolve("train/small.csv")).hasContent("a,b\n1,2\n");
            Result list = aws(endpoint, TestServer.SECRET_KEY, "s3", "ls", "--recursive", "s3://datasets/");
            assertThat(list.output).contains("train/deep/big.bin", "train/small.csv");
            Result back = aws(endpoint, TestServer.SECRET_KEY, "s3", "cp", "s3://datasets/train/deep/big.bin",
                    tmp.resolve("back.bin").toString());
            assertThat(back.exit).as(back.output).isZero();
            assertThat(Files.readAllBytes(tmp.resolve("back.bin"))).isEqualTo(big);
            Path download = tmp.resolve("download");
            Result recursive = aws(endpoint, TestServer.SECRET_KEY, "s3", "cp", "--recursive", "s3://datasets/train/",
                    download.toString());
            assertThat(recursive.exit).as(recursive.output).isZero();
            assertThat(Files.readAllBytes(download.resolve("deep/big.bin"))).isEqualTo(big);
            assertThat(download.resolve("small.csv")).hasContent("a,b\n1,2\n");
            try (var files = Files.walk(download)) {
                assertThat(files.filter(Files::isRegularFile)).hasSize(2);
            }
            assertThat(aws(endpoint, TestServer.SECRET_KEY, "s3", "ls", "s3://datasets/train/").output).contains("PRE deep/");

            Result stranger = aws(endpoint, "not-the-secret", "s3", "ls", "s3://datasets/");
            assertThat(stranger.exit).isNotZero();
            assertThat(stranger.output).containsIgnoringCase("SignatureDoesNotMatch");
        }
    }

    private record Result(int exit, String output) {}

    private Result aws(String endpoint, String secret, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", TestServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
        env.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.remove("AWS_PROFILE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":"))
            if (Files.isExecutable(Path.of(dir, program))) return true;
        return false;
    }
}
