package dev.vernier.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.protocol.error.ApiException;
import dev.vernier.protocol.error.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

class SigV4VerifierTest {
    static final AccessKey KEY = new AccessKey("AKIAVERNIERTEST00001", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    static final Instant SIGNED_AT = Instant.parse("2026-01-01T00:00:00Z");
    static final Map<String, List<String>> JSON_HEADERS = Map.of(
            "Content-Type", List.of("application/x-amz-json-1.1"),
            "X-Amz-Target", List.of("SageMaker.DescribeHyperParameterTuningJob"));
    static final String DESCRIBE_BODY = "{\"HyperParameterTuningJobName\":\"my-tuning-job\"}";

    static SigV4Verifier verifierAt(Instant now) {
        return new SigV4Verifier(AccessKeys.of(List.of(KEY)), Clock.fixed(now, ZoneOffset.UTC), "sagemaker");
    }

    static final SigV4Verifier VERIFIER = verifierAt(SIGNED_AT.plusSeconds(42));

    static SignedWireRequest describe() {
        return SignedWireRequest.signedBySdk(SdkHttpMethod.POST, "http://127.0.0.1:8080/", JSON_HEADERS, DESCRIBE_BODY,
                KEY, SIGNED_AT);
    }

    static void assertRejected(ThrowingCallable call, ErrorCode code, String messageFragment) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.code().httpStatus()).isEqualTo(403);
            assertThat(e.getMessage()).contains(messageFragment);
        });
    }

    @Test
    void aPostWithAJsonBodySignedByTheSdkVerifiesAsItsAccessKey() {
        assertThat(describe().verifyWith(VERIFIER)).isEqualTo(KEY.id());
    }

    @Test
    void aGetWithQueryParametersSignedByTheSdkVerifies() {
        SignedWireRequest request = SignedWireRequest.signedBySdk(SdkHttpMethod.GET,
                "http://localhost:9000/some/path%20with%20space/x?b=2&a=1&a=0&text=hello%20world&plus=a%2Bb&empty=",
                Map.of(), null, KEY, SIGNED_AT);

        assertThat(request.rawQuery()).contains("a=1");
        assertThat(request.verifyWith(VERIFIER)).isEqualTo(KEY.id());
    }

    @Test
    void headerValuesWithExtraSpacesAndSeveralValuesVerify() {
        SignedWireRequest request = SignedWireRequest.signedBySdk(SdkHttpMethod.POST, "http://127.0.0.1:8080/",
                Map.of("X-Amz-Target", List.of("  SageMaker.ListHyperParameterTuningJobs  "),
                        "X-Odd", List.of("  spaced    out\tvalue "),
                        "X-Multi", List.of("one", "  two   three ")),
                "{}", KEY, SIGNED_AT);

        assertThat(request.headers().get("X-Multi")).hasSize(2);
        assertThat(request.verifyWith(VERIFIER)).isEqualTo(KEY.id());
    }

    @Test
    void anyRegionInTheCredentialScopeIsAccepted() {
        SignedWireRequest request = SignedWireRequest.signedBySdk(SdkHttpMethod.POST, "http://127.0.0.1:8080/",
                JSON_HEADERS, DESCRIBE_BODY, KEY, "eu-west-1", SIGNED_AT, sign -> {});

        assertThat(request.header("Authorization")).contains("/eu-west-1/sagemaker/");
        assertThat(request.verifyWith(VERIFIER)).isEqualTo(KEY.id());
    }

    @Test
    void unsignedHeadersMayChange() {
        assertThat(describe().withHeader("User-Agent", "something else").withHeader("X-Unsigned", "x")
                .verifyWith(VERIFIER)).isEqualTo(KEY.id());
    }

    @Test
    void aRequestWithoutAuthorizationIsMissingAnAuthenticationToken() {
        assertRejected(() -> describe().withoutHeader("Authorization").verifyWith(VERIFIER),
                ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
    }

    @Test
    void presignedQueryAuthenticationIsRefusedAsIncomplete() {
        assertRejected(() -> describe().withoutHeader("Authorization")
                        .withQuery("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc").verifyWith(VERIFIER),
                ErrorCode.INCOMPLETE_SIGNATURE, "presigned");
    }

    @Test
    void malformedAuthorizationHeadersAreIncompleteSignatures() {
        SignedWireRequest good = describe();
        String auth = good.header("Authorization");
        Map<String, String> broken = Map.ofEntries(
                Map.entry(auth.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"), "Unsupported AWS 'algorithm'"),
                Map.entry("Bearer abc.def", "Unsupported AWS 'algorithm': 'Bearer'"),
                Map.entry(auth.replaceAll("Credential=[^,]*, ", ""), "requires 'Credential' parameter"),
                Map.entry(auth.replaceAll("SignedHeaders=[^,]*, ", ""), "requires 'SignedHeaders' parameter"),
                Map.entry(auth.replaceAll(", Signature=.*", ""), "requires 'Signature' parameter"),
                Map.entry("AWS4-HMAC-SHA256 ", "requires 'Credential' parameter. Authorization header requires"
                        + " 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter."),
                Map.entry(auth.replace("Credential=", "Credential"), "missing equal-sign"),
                Map.entry(auth.replace("/us-east-1/", "/"), "exactly 5 slash-delimited elements"),
                Map.entry(auth.replace("aws4_request", "aws4_req"), "valid terminator: 'aws4_request', not 'aws4_req'"),
                Map.entry(auth.replace("/20260101/", "/2026011/"), "date in yyyyMMdd format"),
                Map.entry(auth.replace("/20260101/", "/20260102/"), "Date in Credential scope does not match"
                        + " YYYYMMDD from ISO-8601 version of date from HTTP: '20260102' != '20260101'"),
                Map.entry(auth.replace("/us-east-1/", "/US East/"), "valid region"),
                Map.entry(auth.replace("host;", ""), "'Host' or ':authority' must be a 'SignedHeader'"),
                Map.entry(auth.replace(";x-amz-date", ""), "'X-Amz-Date' must be a 'SignedHeader'"),
                Map.entry(auth.replace("host;", "host;x-absent;"), "'x-absent' is listed in SignedHeaders but absent"));

        broken.forEach((authorization, message) -> assertRejected(
                () -> good.withHeader("Authorization", authorization).verifyWith(VERIFIER),
                ErrorCode.INCOMPLETE_SIGNATURE, message));
    }

    @Test
    void aMissingOrMalformedXAmzDateIsAnIncompleteSignature() {
        assertRejected(() -> describe().withoutHeader("X-Amz-Date").verifyWith(VERIFIER),
                ErrorCode.INCOMPLETE_SIGNATURE, "requires existence of a single 'X-Amz-Date' header");
        assertRejected(() -> describe().withHeader("X-Amz-Date", "2026-01-01T00:00:00Z").verifyWith(VERIFIER),
                ErrorCode.INCOMPLETE_SIGNATURE, "Date must be in ISO-8601 'basic format'. Got '2026-01-01T00:00:00Z'");
        assertRejected(() -> describe().withHeader("X-Amz-Date", "20260231T000000Z").verifyWith(VERIFIER),
                ErrorCode.INCOMPLETE_SIGNATURE, "Got '20260231T000000Z'");
    }

    @Test
    void aRequestThatCannotBeCanonicalisedIsAnIncompleteSignatureNotAServerError() {
        SignedWireRequest request = describe();
        assertRejected(() -> request.withQuery("a=%zz").verifyWith(VERIFIER),
                ErrorCode.INCOMPLETE_SIGNATURE, "cannot be put into SigV4 canonical form");
        assertRejected(() -> new SignedWireRequest("BREW", request.rawPath(), null, request.headers(), request.body())
                .verifyWith(VERIFIER), ErrorCode.INCOMPLETE_SIGNATURE, "cannot be put into SigV4 canonical form");
    }

    @Test
    void twoAuthorizationHeadersAreAnIncompleteSignature() {
        SignedWireRequest request = describe();
        assertRejected(() -> request.withHeaders(h -> {
            h.get("Authorization").add(request.header("Authorization"));
            return h;
        }).verifyWith(VERIFIER), ErrorCode.INCOMPLETE_SIGNATURE, "only one Authorization header");
    }

    @Test
    void aCredentialScopedToAnotherServiceIsAnInvalidSignature() {
        SignedWireRequest request = describe();
        assertRejected(() -> request.withHeader("Authorization",
                        request.header("Authorization").replace("/sagemaker/", "/execute-api/")).verifyWith(VERIFIER),
                ErrorCode.INVALID_SIGNATURE, "Credential should be scoped to correct service: 'sagemaker'.");
    }

    @Test
    void anUnknownAccessKeyIsAnUnrecognizedClient() {
        AccessKey stranger = new AccessKey("AKIASTRANGER00000000", KEY.secret());
        assertRejected(() -> SignedWireRequest.signedBySdk(SdkHttpMethod.POST, "http://127.0.0.1:8080/", JSON_HEADERS,
                        DESCRIBE_BODY, stranger, SIGNED_AT).verifyWith(VERIFIER),
                ErrorCode.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
    }

    @Test
    void aWrongSecretIsAnInvalidSignatureThatShowsTheCanonicalRequest() {
        AccessKey wrongSecret = new AccessKey(KEY.id(), "not-the-secret");
        assertRejected(() -> SignedWireRequest.signedBySdk(SdkHttpMethod.POST, "http://127.0.0.1:8080/", JSON_HEADERS,
                        DESCRIBE_BODY, wrongSecret, SIGNED_AT).verifyWith(VERIFIER),
                ErrorCode.INVALID_SIGNATURE, "The request signature we calculated does not match the signature you"
                        + " provided. Check your AWS Secret Access Key and signing method.");
        assertRejected(() -> SignedWireRequest.signedBySdk(SdkHttpMethod.POST, "http://127.0.0.1:8080/", JSON_HEADERS,
                        DESCRIBE_BODY, wrongSecret, SIGNED_AT).verifyWith(VERIFIER),
                ErrorCode.INVALID_SIGNATURE, "The Canonical String for this request should have been\n'POST\n/\n\n");
    }

    @Test
    void tamperingWithAnySignedPartIsAnInvalidSignature() {
        SignedWireRequest request = describe();
        assertRejected(() -> request.withHeader("X-Amz-Target", "SageMaker.DeleteHyperParameterTuningJob")
                .verifyWith(VERIFIER), ErrorCode.INVALID_SIGNATURE, "signature we calculated does not match");
        assertRejected(() -> request.withPath("/other").verifyWith(VERIFIER),
                ErrorCode.INVALID_SIGNATURE, "signature we calculated does not match");
        assertRejected(() -> request.withQuery("extra=1").verifyWith(VERIFIER),
                ErrorCode.INVALID_SIGNATURE, "signature we calculated does not match");
        assertRejected(() -> request.withHeader("X-Amz-Date", "20260101T000001Z").verifyWith(VERIFIER),
                ErrorCode.INVALID_SIGNATURE, "signature we calculated does not match");
        assertRejected(() -> request.withHeader("Authorization", request.header("Authorization")
                        .replaceAll("Signature=.", "Signature=0")).verifyWith(VERIFIER),
                ErrorCode.INVALID_SIGNATURE, "signature we calculated does not match");
    }

    @Test
    void tamperingWithTheBodyIsAnInvalidSignature() {
        // the SDK signs x-amz-content-sha256, so the body is checked against it
        assertThat(describe().header("x-amz-content-sha256")).hasSize(64);
        assertRejected(() -> describe().withBody("{\"HyperParameterTuningJobName\":\"other-job\"}").verifyWith(VERIFIER),
                ErrorCode.INVALID_SIGNATURE, "The provided 'x-amz-content-sha256' header does not match");
    }

    @Test
    void anUnsignedPayloadIsRefused() {
        // what the SDK sends over HTTPS when payload signing is off: the body would not be covered by the signature
        SignedWireRequest request = SignedWireRequest.signedBySdk(SdkHttpMethod.POST, "https://127.0.0.1:8443/",
                JSON_HEADERS, DESCRIBE_BODY, KEY, "us-east-1", SIGNED_AT,
                sign -> sign.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));

        assertThat(request.header("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
        assertRejected(() -> request.verifyWith(VERIFIER), ErrorCode.INVALID_SIGNATURE, "UNSIGNED-PAYLOAD");
        assertRejected(() -> request.withBody("{}").verifyWith(VERIFIER), ErrorCode.INVALID_SIGNATURE, "UNSIGNED-PAYLOAD");
    }

    @Test
    void anUnsignedTargetIsRefusedSoThatTheOperationCannotBeSwitched() {
        SignedWireRequest request = SignedWireRequest.signedBySdk(SdkHttpMethod.POST, "http://127.0.0.1:8080/",
                Map.of(), DESCRIBE_BODY, KEY, SIGNED_AT);
        assertThat(request.verifyWith(VERIFIER)).isEqualTo(KEY.id());
        assertRejected(() -> request.withHeader("X-Amz-Target", "SageMaker.DeleteHyperParameterTuningJob")
                .verifyWith(VERIFIER), ErrorCode.INCOMPLETE_SIGNATURE, "'x-amz-target' must be a 'SignedHeader'");
    }

    @Test
    void anUnsignedContentHashIsRefused() {
        SignedWireRequest request = SignedWireRequest.signedBySdk(SdkHttpMethod.POST, "http://127.0.0.1:8080/",
                JSON_HEADERS, DESCRIBE_BODY, KEY, SIGNED_AT);
        String auth = request.header("Authorization").replace("x-amz-content-sha256;", "");
        assertRejected(() -> request.withHeader("Authorization", auth).verifyWith(VERIFIER),
                ErrorCode.INCOMPLETE_SIGNATURE, "'x-amz-content-sha256' must be a 'SignedHeader'");
    }

    @Test
    void signedHeadersThatTheSdkNeverSignsAreNamedInTheRejection() {
        SignedWireRequest request = describe().withHeader("User-Agent", "curl");
        String auth = request.header("Authorization").replace("host;", "host;user-agent;");
        assertRejected(() -> request.withHeader("Authorization", auth).verifyWith(VERIFIER),
                ErrorCode.INVALID_SIGNATURE, "may not include connection, expect, user-agent or x-amzn-trace-id");
    }

    @Test
    void aClockSkewUpToFifteenMinutesEitherWayIsAccepted() {
        SignedWireRequest request = describe();
        for (Duration skew : List.of(Duration.ofMinutes(15), Duration.ofMinutes(14).plusSeconds(59))) {
            assertThat(request.verifyWith(verifierAt(SIGNED_AT.plus(skew)))).isEqualTo(KEY.id());
            assertThat(request.verifyWith(verifierAt(SIGNED_AT.minus(skew)))).isEqualTo(KEY.id());
        }
    }

    @Test
    void aRequestMoreThanFifteenMinutesOldHasAnExpiredSignature() {
        assertRejected(() -> describe().verifyWith(verifierAt(SIGNED_AT.plus(Duration.ofMinutes(30)))),
                ErrorCode.INVALID_SIGNATURE, "Signature expired: 20260101T000000Z is now earlier than 20260101T001500Z"
                        + " (20260101T003000Z - 15 min.)");
        assertRejected(() -> describe().verifyWith(verifierAt(SIGNED_AT.plus(Duration.ofMinutes(15).plusSeconds(1)))),
                ErrorCode.INVALID_SIGNATURE, "Signature expired");
    }

    @Test
    void aRequestMoreThanFifteenMinutesAheadIsNotYetCurrent() {
        assertRejected(() -> describe().verifyWith(verifierAt(SIGNED_AT.minus(Duration.ofMinutes(15).plusSeconds(1)))),
                ErrorCode.INVALID_SIGNATURE, "Signature not yet current: 20260101T000000Z is still later than"
                        + " 20251231T235959Z (20251231T234459Z + 15 min.)");
    }
}
