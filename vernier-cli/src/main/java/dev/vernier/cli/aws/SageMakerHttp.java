package dev.vernier.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Calls a Vernier (or SageMaker) endpoint the way botocore does: AWS JSON 1.1 POSTs with
 * {@code X-Amz-Target: SageMaker.<Operation>}, signed with SigV4 (service {@code sagemaker}) by the
 * AWS SDK's own signer, plus signed GETs for Vernier's extension paths such as the log endpoint.
 *
 * <p>Over {@link HttpURLConnection}, which keeps connections alive between calls: a command makes
 * one call or a few, and java.net.http's client costs ~0.3 s of start-up (its selector thread and,
 * even for http://, the default TLS context with every CA certificate).
 */
public final class SageMakerHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsConfig config;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000, READ_TIMEOUT_MILLIS = 60_000;

    /** A response: its status, the error type header AWS JSON errors may carry, and its body. */
    private record Response(int status, String errorType, String body) {}

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
        return parse(operation, send(sign(unsigned, body), body));
    }

    /** A signed GET of a Vernier extension path, e.g. {@code /v1/training-jobs/NAME/log?offset=0}. */
    public JsonNode get(String operationLabel, String pathAndQuery) {
        URI uri = endpointUri(pathAndQuery);
        SdkHttpRequest signed = sign(SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.GET).build(), null);
        return parse(operationLabel, send(signed, null));
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

    /** Sends the signed request (Host and Content-Length are the connection's own) and reads the whole answer. */
    private static Response send(SdkHttpRequest signed, byte[] body) {
        URI uri = signed.getUri();
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            c.setReadTimeout(READ_TIMEOUT_MILLIS);
            c.setRequestMethod(signed.method().name());
            signed.forEachHeader((name, values) -> {
                if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length"))
                    values.forEach(v -> c.addRequestProperty(name, v));
            });
            if (body != null) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = "";
            if (in != null) {
                try (in) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return new Response(status, c.getHeaderField("x-amzn-ErrorType"), text);
        } catch (ConnectException | SocketTimeoutException e) {
            throw new CliException(CliException.OTHER, "Could not connect to the endpoint URL: \"" + uri + "\"");
        } catch (IOException e) {
            throw new CliException(CliException.OTHER, "Could not connect to the endpoint URL: \"" + uri + "\" (" + e.getMessage() + ")");
        }
    }

    private static JsonNode parse(String operation, Response response) {
        JsonNode body;
        try {
            body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (response.status() / 100 == 2 && body != null) return body;
        String code = "Unknown";
        String message = response.body();
        if (body != null && body.isObject()) {
            String type = body.path("__type").asText(response.errorType() != null ? response.errorType() : "Unknown");
            code = type.substring(type.lastIndexOf('#') + 1);
            int colon = code.indexOf(':');
            if (colon > 0) code = code.substring(0, colon);
            message = body.has("message") ? body.get("message").asText() : body.path("Message").asText("Unknown");
        } else if (response.status() / 100 == 2) {
            throw new CliException(CliException.OTHER, "Unreadable response from the endpoint: " + response.body());
        } else {
            code = String.valueOf(response.status());
        }
        throw new ServiceException(code, message, operation);
    }
}
