package dev.vernier.protocol.auth;

import static dev.vernier.protocol.auth.SigV4VerifierTest.DESCRIBE_BODY;
import static dev.vernier.protocol.auth.SigV4VerifierTest.KEY;
import static dev.vernier.protocol.auth.SigV4VerifierTest.SIGNED_AT;
import static dev.vernier.protocol.auth.SigV4VerifierTest.VERIFIER;
import static dev.vernier.protocol.auth.SigV4VerifierTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.protocol.error.ErrorCode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests signed as boto3 and AWS CLI v1 sign them ({@code botocore.auth.SigV4Auth}), which omit x-amz-content-sha256. */
class BotocoreSignedRequestsTest {

    @BeforeAll
    static void needsBotocore() {
        Botocore.assumeAvailable();
    }

    static SignedWireRequest describe() throws IOException {
        return Botocore.sign("POST", "http://127.0.0.1:8080/", List.of(
                        List.of("Content-Type", "application/x-amz-json-1.1"),
                        List.of("X-Amz-Target", "SageMaker.DescribeHyperParameterTuningJob")),
                DESCRIBE_BODY, KEY, "us-east-1", SIGNED_AT);
    }

    @Test
    void aBotocoreSignedJsonPostVerifies() throws IOException {
        SignedWireRequest request = describe();

        assertThat(request.header("Authorization")).doesNotContain("x-amz-content-sha256");
        assertThat(request.verifyWith(VERIFIER)).isEqualTo(KEY.id());
    }

    @Test
    void aBotocoreSignedGetWithAnEncodedPathQueryAndOddHeadersVerifies() throws IOException {
        SignedWireRequest request = Botocore.sign("GET",
                "http://localhost:9000/a%20b/./c/?b=2&a=1&a=0&text=hello%20world&tilde=~x&empty=",
                List.of(List.of("X-Odd", "  spaced    out  value "), List.of("X-Multi", "one"),
                        List.of("X-Multi", " two  three ")),
                "", KEY, "ap-southeast-2", SIGNED_AT);

        assertThat(request.headers().get("X-Multi")).hasSize(2);
        assertThat(request.verifyWith(VERIFIER)).isEqualTo(KEY.id());
    }

    @Test
    void tamperingWithABotocoreSignedBodyIsAnInvalidSignature() throws IOException {
        assertRejected(() -> describe().withBody("{}").verifyWith(VERIFIER),
                ErrorCode.INVALID_SIGNATURE, "signature we calculated does not match");
    }

    @Test
    void aBotocoreRequestSignedWithAnotherSecretIsAnInvalidSignature() throws IOException {
        SignedWireRequest request = Botocore.sign("POST", "http://127.0.0.1:8080/",
                List.of(List.of("X-Amz-Target", "SageMaker.ListHyperParameterTuningJobs")), "{}",
                new AccessKey(KEY.id(), "another-secret"), "us-east-1", SIGNED_AT);
        assertRejected(() -> request.verifyWith(VERIFIER), ErrorCode.INVALID_SIGNATURE,
                "signature we calculated does not match");
    }
}
