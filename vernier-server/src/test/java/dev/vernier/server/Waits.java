package dev.vernier.server;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeHyperParameterTuningJobResponse;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTuningJobStatus;

/** Polling waits for tests (bounded; failing with the last state seen). */
public final class Waits {
    private Waits() {}

    public static DescribeHyperParameterTuningJobResponse terminal(SageMakerClient sm, String name) {
        // A Slurm job takes seconds to start where a local process takes milliseconds.
        return until(sm, name, Duration.ofSeconds(OnSlurm.backend().equals("slurm") ? 300 : 90), Set.of(HyperParameterTuningJobStatus.COMPLETED,
                HyperParameterTuningJobStatus.FAILED, HyperParameterTuningJobStatus.STOPPED));
    }

    public static DescribeHyperParameterTuningJobResponse until(SageMakerClient sm, String name, Duration timeout,
                                                                Set<HyperParameterTuningJobStatus> wanted) {
        Instant deadline = Instant.now().plus(timeout);
        DescribeHyperParameterTuningJobResponse d;
        do {
            d = sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(name));
            if (wanted.contains(d.hyperParameterTuningJobStatus())) return d;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError(name + " did not reach " + wanted + "; last seen: " + d);
    }
}
