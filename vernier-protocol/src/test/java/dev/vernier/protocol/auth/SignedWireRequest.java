package dev.vernier.protocol.auth;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** A request as it arrives at the server: what {@link SigV4Verifier#verify} is given. */
record SignedWireRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                         byte[] body) {

    String verifyWith(SigV4Verifier verifier) {
        return verifier.verify(method, rawPath, rawQuery, headers, body);
    }

    SignedWireRequest withHeaders(UnaryOperator<Map<String, List<String>>> change) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(name, new ArrayList<>(values)));
        return new SignedWireRequest(method, rawPath, rawQuery, change.apply(copy), body);
    }

    SignedWireRequest withHeader(String name, String value) {
        return withHeaders(h -> {
            h.keySet().removeIf(n -> n.equalsIgnoreCase(name));
            h.put(name, new ArrayList<>(List.of(value)));
            return h;
        });
    }

    SignedWireRequest withoutHeader(String name) {
        return withHeaders(h -> {
            h.keySet().removeIf(n -> n.equalsIgnoreCase(name));
            return h;
        });
    }

    SignedWireRequest withBody(String text) {
        return new SignedWireRequest(method, rawPath, rawQuery, headers, text.getBytes(StandardCharsets.UTF_8));
    }

    SignedWireRequest withPath(String path) {
        return new SignedWireRequest(method, path, rawQuery, headers, body);
    }

    SignedWireRequest withQuery(String query) {
        return new SignedWireRequest(method, rawPath, query, headers, body);
    }

    String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                .map(e -> e.getValue().get(0)).orElseThrow();
    }

    /** Signs with the AWS SDK for Java v2's public signer, as the SDK's clients do. */
    static SignedWireRequest signedBySdk(SdkHttpMethod method, String url, Map<String, List<String>> headers,
                                         String body, AccessKey key, String region, Instant at,
                                         Consumer<SignRequest.Builder<AwsCredentialsIdentity>> extraProperties) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(method).uri(URI.create(url));
        headers.forEach(request::putHeader);
        SignRequest.Builder<AwsCredentialsIdentity> sign = SignRequest.builder(
                        AwsCredentialsIdentity.create(key.id(), key.secret()))
                .request(request.build())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sagemaker")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC));
        if (body != null) sign.payload(() -> new ByteArrayInputStream(bytes));
        extraProperties.accept(sign);
        SignedRequest signed = AwsV4HttpSigner.create().sign(sign.build());
        return new SignedWireRequest(method.name(), signed.request().encodedPath(),
                signed.request().encodedQueryParameters().orElse(null), signed.request().headers(), bytes);
    }

    static SignedWireRequest signedBySdk(SdkHttpMethod method, String url, Map<String, List<String>> headers,
                                         String body, AccessKey key, Instant at) {
        return signedBySdk(method, url, headers, body, key, "us-east-1", at, sign -> {});
    }
}
