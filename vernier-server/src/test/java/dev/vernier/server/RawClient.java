package dev.vernier.server;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Sends hand-made AWS JSON 1.1 requests, signed by the SDK's own SigV4 signer, so that tests can
 * send what the SDK client never would (bad JSON, unknown operations, odd signatures) and see the
 * exact bytes of a response.
 */
public final class RawClient {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final URI endpoint;
    private String accessKey = TestServer.ACCESS_KEY;
    private String secretKey = TestServer.SECRET_KEY;
    private Clock clock = Clock.systemUTC();

    public RawClient(URI endpoint) {
        this.endpoint = endpoint;
    }

    public RawClient withKeys(String accessKey, String secretKey) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        return this;
    }

    public RawClient withClock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public record Response(int status, String body, Map<String, java.util.List<String>> headers) {}

    /** A signed GET of a Vernier extension path such as /v1/training-jobs/NAME/log. */
    public Response get(String pathAndQuery) {
        URI uri = endpoint.resolve(pathAndQuery);
        SdkHttpRequest unsigned = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.GET).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKey, secretKey)).request(unsigned)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sagemaker")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1").putProperty(HttpSigner.SIGNING_CLOCK, clock));
        HttpRequest.Builder http = HttpRequest.newBuilder(uri).GET();
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) values.forEach(v -> http.header(name, v));
        });
        try {
            HttpResponse<String> response = HTTP.send(http.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers().map());
        } catch (Exception e) {
            throw new IllegalStateException("request failed: " + e, e);
        }
    }

    public Response call(String operation, String body) {
        return send(operation == null ? null : "SageMaker." + operation, body.getBytes(StandardCharsets.UTF_8), true);
    }

    public Response unsigned(String operation, String body) {
        return send("SageMaker." + operation, body.getBytes(StandardCharsets.UTF_8), false);
    }

    public Response send(String target, byte[] body, boolean sign) {
        return send(target, body, body, sign);
    }

    /** Signs {@code signedBody} but sends {@code sentBody}. */
    public Response sendTampered(String target, byte[] signedBody, byte[] sentBody) {
        return send(target, signedBody, sentBody, true);
    }

    private Response send(String target, byte[] body, byte[] sentBody, boolean sign) {
        return send(target, body, sentBody, sign, true, null);
    }

    /**
     * Signs a request over everything but its {@code X-Amz-Target}, then sends it with {@code target}: what someone
     * who captured a signed request could send if the operation were not covered by the signature.
     */
    public Response sendWithUnsignedTarget(String target, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return send(null, bytes, bytes, true, true, target);
    }

    /** Signed with payload signing off, as the SDK may do over HTTPS: {@code x-amz-content-sha256: UNSIGNED-PAYLOAD}. */
    public Response sendWithUnsignedPayload(String operation, String signedBody, String sentBody) {
        return send("SageMaker." + operation, signedBody.getBytes(StandardCharsets.UTF_8),
                sentBody.getBytes(StandardCharsets.UTF_8), true, false, null);
    }

    private Response send(String target, byte[] body, byte[] sentBody, boolean sign, boolean signPayload,
                          String targetAfterSigning) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().uri(endpoint).method(SdkHttpMethod.POST)
                .putHeader("Content-Type", "application/x-amz-json-1.1");
        if (target != null) request.putHeader("X-Amz-Target", target);
        // the SDK signs with UNSIGNED-PAYLOAD only over HTTPS: the request is signed as if it went there
        if (!signPayload) request.protocol("https");
        SdkHttpRequest unsignedRequest = request.build();
        SdkHttpRequest toSend = unsignedRequest;
        if (sign) {
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(AwsCredentialsIdentity.create(accessKey, secretKey))
                    .request(unsignedRequest)
                    .payload(() -> new ByteArrayInputStream(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sagemaker")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, signPayload)
                    .putProperty(HttpSigner.SIGNING_CLOCK, clock));
            toSend = signed.request();
        }
        if (targetAfterSigning != null) toSend = toSend.toBuilder().putHeader("X-Amz-Target", targetAfterSigning).build();
        HttpRequest.Builder http = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(sentBody));
        SdkHttpRequest finalRequest = toSend;
        finalRequest.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length"))
                values.forEach(v -> http.header(name, v));
        });
        try {
            HttpResponse<String> response = HTTP.send(http.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers().map());
        } catch (Exception e) {
            throw new IllegalStateException("request failed: " + e, e);
        }
    }
}
