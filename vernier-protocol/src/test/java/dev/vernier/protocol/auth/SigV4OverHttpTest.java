package dev.vernier.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vernier.protocol.error.ApiException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/**
 * Real clients over real HTTP to a JDK HttpServer whose handler does nothing but verify: the headers arrive as the
 * JDK server hands them over, not as a test built them.
 */
class SigV4OverHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dataDir;
    private HttpServer server;
    private AccessKeys keys;
    private final List<String> verifiedKeyIds = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        keys = AccessKeys.loadOrCreate(List.of(), dataDir);
        SigV4Verifier verifier = new SigV4Verifier(keys, Clock.systemUTC(), "sagemaker");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> answer(exchange, verifier));
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange, SigV4Verifier verifier) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        int status = 200;
        String answer = "{\"HyperParameterTuningJobSummaries\":[]}";
        try {
            URI uri = exchange.getRequestURI();
            verifiedKeyIds.add(verifier.verify(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    exchange.getRequestHeaders(), body));
        } catch (ApiException e) {
            status = e.code().httpStatus();
            answer = JSON.writeValueAsString(Map.of("__type", e.code().wireName(), "message", e.getMessage()));
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private SageMakerClient sdkClient(AccessKey key) {
        return SageMakerClient.builder().endpointOverride(endpoint()).region(Region.EU_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.id(), key.secret())))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void theJavaSdkSageMakerClientIsVerified() {
        try (SageMakerClient client = sdkClient(keys.primary())) {
            assertThat(client.listHyperParameterTuningJobs(r -> r.maxResults(5)).hyperParameterTuningJobSummaries())
                    .isEmpty();
        }
        assertThat(verifiedKeyIds).containsExactly(keys.primary().id());
    }

    @Test
    void theJavaSdkClientWithAWrongSecretGetsInvalidSignatureException() {
        try (SageMakerClient client = sdkClient(new AccessKey(keys.primary().id(), "wrong"))) {
            assertThatThrownBy(() -> client.listHyperParameterTuningJobs(r -> r.maxResults(5)))
                    .isInstanceOfSatisfying(SageMakerException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                    });
        }
        assertThat(verifiedKeyIds).isEmpty();
    }

    @Test
    void boto3IsVerified() throws IOException {
        Botocore.assumeAvailable();
        Botocore.Result result = Botocore.run(List.of("python3", "-c", """
                import sys, boto3
                client = boto3.client('sagemaker', endpoint_url=sys.argv[1], region_name='us-west-2',
                                      aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
                print(client.list_hyper_parameter_tuning_jobs(MaxResults=5)['HyperParameterTuningJobSummaries'])
                """, endpoint().toString(), keys.primary().id(), keys.primary().secret()), "");

        assertThat(result.output()).isEqualTo("[]\n");
        assertThat(verifiedKeyIds).containsExactly(keys.primary().id());
    }

    @Test
    void theAwsCliFollowingTheUsageHintIsVerified() throws IOException {
        Botocore.assumeAvailable();
        String hint = keys.usageHint(endpoint(), "us-east-1");

        Botocore.Result result = Botocore.run(List.of("sh", "-c", hint), "",
                Map.of("AWS_CONFIG_FILE", dataDir.resolve("no-config").toString()));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"HyperParameterTuningJobSummaries\": []");
        assertThat(verifiedKeyIds).containsExactly(keys.primary().id());
    }
}
