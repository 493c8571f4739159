package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link TuningRunTest} (max runtime, failures, objectives) with its training jobs on a real Slurm cluster. */
@ExtendWith(OnSlurm.class)
class TuningRunOnSlurmTest extends TuningRunTest {
    @Override
    @Test
    void anImageThatCannotRunHereIsRefusedAtCreate() {
        RawClient.Response r = new RawClient(SHARED.server().endpoint()).call("CreateHyperParameterTuningJob",
                Requests.createJson("noimage", "683313688378.dkr.ecr.us-east-1.amazonaws.com/xgboost:1"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("ValidationException").contains("cannot run").contains("slurm-images");
        assertThat(Files.exists(SHARED.dataDir().resolve("slurm-jobs"))).isTrue();
    }
}
