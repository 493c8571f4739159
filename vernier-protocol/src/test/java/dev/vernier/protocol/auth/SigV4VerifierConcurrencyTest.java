package dev.vernier.protocol.auth;

import static dev.vernier.protocol.auth.SigV4VerifierTest.DESCRIBE_BODY;
import static dev.vernier.protocol.auth.SigV4VerifierTest.JSON_HEADERS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;

class SigV4VerifierConcurrencyTest {

    /** Signing keys are cached per secret, region and day; threads mixing all three must each still get theirs. */
    @Test
    void manyThreadsVerifyingRequestsOfDifferentKeysRegionsAndDaysAllSucceed() throws Exception {
        Instant midnight = Instant.parse("2026-03-01T00:00:00Z");
        List<AccessKey> keys = List.of(new AccessKey("AKIAFIRST00000000000", "first-secret"),
                new AccessKey("AKIASECOND0000000000", "second-secret"));
        List<SignedWireRequest> requests = new ArrayList<>();
        List<String> expectedIds = new ArrayList<>();
        for (AccessKey key : keys) {
            for (String region : List.of("us-east-1", "eu-west-1", "ap-south-1")) {
                for (Instant at : List.of(midnight.minusSeconds(5), midnight.plusSeconds(5))) {
                    requests.add(SignedWireRequest.signedBySdk(SdkHttpMethod.POST, "http://127.0.0.1:8080/",
                            JSON_HEADERS, DESCRIBE_BODY, key, region, at, sign -> {}));
                    expectedIds.add(key.id());
                }
            }
        }
        SigV4Verifier verifier = new SigV4Verifier(AccessKeys.of(keys), Clock.fixed(midnight, ZoneOffset.UTC),
                "sagemaker");

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int offset = thread;
                results.add(pool.submit(() -> {
                    int verified = 0;
                    for (int i = 0; i < 2_000; i++) {
                        int which = (i + offset) % requests.size();
                        if (requests.get(which).verifyWith(verifier).equals(expectedIds.get(which))) verified++;
                    }
                    return verified;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(2_000);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
    }
}
