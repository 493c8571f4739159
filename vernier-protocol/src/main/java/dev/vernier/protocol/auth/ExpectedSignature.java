package dev.vernier.protocol.auth;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.CredentialScope;
import software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4Properties;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4RequestSigningResult;
import software.amazon.awssdk.http.auth.aws.internal.signer.util.SignerUtils;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The signature a request should carry, computed by the AWS SDK's own SigV4 request signer.
 *
 * <p>Why the SDK's internal {@code DefaultV4RequestSigner} and not the public {@code AwsV4HttpSigner}: the public
 * signer always adds {@code x-amz-content-sha256} to the headers it signs (its checksum step runs before signing and
 * cannot be switched off), while botocore (boto3, AWS CLI), the JavaScript and Go SDKs sign SageMaker requests without
 * that header; their signatures can only be recomputed with the canonical request built over exactly the headers the
 * client signed. {@code DefaultV4RequestSigner} is what {@code AwsV4HttpSigner} runs after its checksum step: the SDK's
 * canonical request ({@code V4CanonicalRequest}: path normalisation, double URL-encoding, header value trimming), its
 * string-to-sign and its signing-key derivation, including its cache of one signing key per secret/region/service and
 * day. The SDK version is pinned; the tests sign with the public signer and with botocore, so a change of these
 * internals shows up as failing tests, not as silently wrong verification.
 */
final class ExpectedSignature {

    /** What the request's signature must equal, and what it was computed over (shown to clients on mismatch). */
    record Result(String signature, String signedHeaders, String canonicalRequest, String dateTime, String scope) {
        /** Computed only when a mismatch is reported, so that a good request pays for one hash less. */
        String stringToSign() {
            return SigV4Authorization.ALGORITHM + "\n" + dateTime + "\n" + scope + "\n"
                    + SignerUtils.hashCanonicalRequest(canonicalRequest);
        }
    }

    private ExpectedSignature() {}

    /**
     * @param signedHeaders lower-case names of the headers the client signed, each with its values in arrival order
     * @param queryParameters decoded query parameter names and values
     * @param contentHash the payload hash line of the canonical request (hex SHA-256 or {@code UNSIGNED-PAYLOAD})
     * @throws IllegalArgumentException if the method or path cannot be put into canonical form
     */
    static Result compute(AccessKey key, String region, String service, Instant requestTime, String method,
                          String rawPath, Map<String, List<String>> queryParameters,
                          Map<String, List<String>> signedHeaders, String contentHash) {
        CredentialScope scope = new CredentialScope(region, service, requestTime);
        V4Properties properties = V4Properties.builder()
                .credentials(AwsCredentialsIdentity.create(key.id(), key.secret()))
                .credentialScope(scope)
                .signingClock(Clock.fixed(requestTime, ZoneOffset.UTC))
                .doubleUrlEncode(true)
                .normalizePath(true)
                .build();
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .protocol("http")
                .host("localhost") // never signed as such: the canonical request uses the client's Host header
                .method(SdkHttpMethod.fromValue(method))
                .encodedPath(rawPath == null ? "" : rawPath)
                .rawQueryParameters(queryParameters)
                .headers(signedHeaders);
        V4RequestSigningResult result = new DefaultV4RequestSigner(properties, contentHash).sign(request);
        return new Result(result.getSignature(), result.getCanonicalRequest().getSignedHeadersString(),
                result.getCanonicalRequest().getCanonicalRequestString(), scope.getDatetime(), scope.scope());
    }
}
