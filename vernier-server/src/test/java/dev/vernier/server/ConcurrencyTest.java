package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;

class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void thirtyTwoThreadsCreatingAndDescribingSeeNoErrorsAndEveryJobExactlyOnce() throws Exception {
        int threads = 32;
        int perThread = 8;
        try (TestServer server = TestServer.start(dir)) {
            SageMakerClient sm = server.client();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int conflicts = 0;
                    for (int i = 0; i < perThread; i++) {
                        String name = "c-" + thread + "-" + i;
                        sm.createHyperParameterTuningJob(Requests.minimalCreate(name));
                        assertThat(sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name))
                                .hyperParameterTuningJobName()).isEqualTo(name);
                        // every thread also races for one shared name: exactly one creator may win
                        try {
                            sm.createHyperParameterTuningJob(Requests.minimalCreate("shared-" + i));
                        } catch (ResourceInUseException e) {
                            conflicts++;
                        }
                    }
                    return conflicts;
                }));
            }
            int conflicts = 0;
            for (Future<Integer> f : results) conflicts += f.get();
            pool.shutdown();
            assertThat(conflicts).isEqualTo((threads - 1) * perThread);
            assertThat(ListingTestSupport.countAll(sm)).isEqualTo(threads * perThread + perThread);
        }
    }
}
