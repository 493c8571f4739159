package dev.vernier.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Calls a Vernier (or SageMaker) endpoint the way botocore does: AWS JSON 1.1 POSTs with
 * {@code X-Amz-Target: SageMaker.<Operation>}, signed with SigV4 (service {@code sagemaker}) by the
 * AWS SDK's own signer, plus signed GETs for Vernier's extension paths such as the log endpoint.
 */
public final class SageMakerHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public SageMakerHttp(AwsConfig config) {
        this.config = config;
    }

    public AwsConfig config() {
        return config;
    }

    /** Sends one operation and answers its parsed response body ({} when empty). */
    public JsonNode call(String operation, JsonNode request) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new CliException(CliException.OTHER, e.getMessage());
        }
        URI uri = endpointUri("/");
        SdkHttpRequest unsigned = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.POST)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "SageMaker." + operation).build();
        SdkHttpRequest signed = sign(unsigned, body);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        copyHeaders(signed, builder);
        return parse(operation, send(builder.build()));
    }

    /** A signed GET of a Vernier extension path, e.g. {@code /v1/training-jobs/NAME/log?offset=0}. */
    public JsonNode get(String operationLabel, String pathAndQuery) {
        URI uri = endpointUri(pathAndQuery);
        SdkHttpRequest signed = sign(SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.GET).build(), null);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET();
        copyHeaders(signed, builder);
        return parse(operationLabel, send(builder.build()));
    }

    private URI endpointUri(String pathAndQuery) {
        String base = config.endpoint().endsWith("/") ? config.endpoint().substring(0, config.endpoint().length() - 1) : config.endpoint();
        try {
            URI uri = URI.create(base + pathAndQuery);
            if (uri.getScheme() == null || uri.getHost() == null) throw new IllegalArgumentException("no scheme or host");
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, "Bad value for --endpoint-url \"" + config.endpoint()
                    + "\": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/");
        }
    }

    private SdkHttpRequest sign(SdkHttpRequest request, byte[] body) {
        AwsConfig.Credentials c = config.requireCredentials();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(c.accessKeyId(), c.secretAccessKey())).request(request)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sagemaker")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, config.region());
            if (body != null) r.payload(() -> new ByteArrayInputStream(body));
        });
        return signed.request();
    }

    private static void copyHeaders(SdkHttpRequest signed, HttpRequest.Builder builder) {
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) values.forEach(v -> builder.header(name, v));
        });
        builder.timeout(Duration.ofSeconds(60));
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpTimeoutException e) {
            throw new CliException(CliException.OTHER, "Could not connect to the endpoint URL: \"" + request.uri() + "\"");
        } catch (IOException e) {
            throw new CliException(CliException.OTHER, "Could not connect to the endpoint URL: \"" + request.uri() + "\" (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(130, "interrupted");
        }
    }

    private static JsonNode parse(String operation, HttpResponse<String> response) {
        JsonNode body;
        try {
            body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (response.statusCode() / 100 == 2 && body != null) return body;
        String code = "Unknown";
        String message = response.body();
        if (body != null && body.isObject()) {
            String type = body.path("__type").asText(response.headers().firstValue("x-amzn-ErrorType").orElse("Unknown"));
            code = type.substring(type.lastIndexOf('#') + 1);
            int colon = code.indexOf(':');
            if (colon > 0) code = code.substring(0, colon);
            message = body.has("message") ? body.get("message").asText() : body.path("Message").asText("Unknown");
        } else if (response.statusCode() / 100 == 2) {
            throw new CliException(CliException.OTHER, "Unreadable response from the endpoint: " + response.body());
        } else {
            code = String.valueOf(response.statusCode());
        }
        throw new ServiceException(code, message, operation);
    }
}
