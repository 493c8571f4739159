package dev.vernier.protocol.auth;

import static dev.vernier.protocol.auth.SigV4VerifierTest.KEY;
import static dev.vernier.protocol.auth.SigV4VerifierTest.VERIFIER;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prints what one verification costs (the server's budget is well under 0.2 ms); asserts no timing. It counts the
 * thread's CPU time, not wall time, since this machine is shared and wall time says more about the neighbours.
 */
class SigV4VerifierCostTest {

    @Test
    void printsTheCostOfVerifyingASignedDescribe() throws IOException {
        List<SignedWireRequest> requests = new ArrayList<>(List.of(SigV4VerifierTest.describe()));
        if (Botocore.isAvailable()) requests.add(BotocoreSignedRequestsTest.describe());
        // three rounds, the last one printed: on two busy cores the JIT takes a while to finish its work
        double[] micros = new double[requests.size()];
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < requests.size(); i++) micros[i] = microsPerVerification(requests.get(i), 20_000);
        }
        System.out.printf("SigV4 verification of an SDK-signed Describe: %.1f µs CPU each%n", micros[0]);
        if (requests.size() > 1) {
            System.out.printf("SigV4 verification of a botocore-signed Describe: %.1f µs CPU each%n", micros[1]);
        }
    }

    private static double microsPerVerification(SignedWireRequest request, int count) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        int verified = 0;
        for (int i = 0; i < count; i++) {
            if (request.verifyWith(VERIFIER).equals(KEY.id())) verified++;
        }
        long elapsed = threads.getCurrentThreadCpuTime() - start;
        assertThat(verified).isEqualTo(count);
        return elapsed / 1_000.0 / count;
    }
}
