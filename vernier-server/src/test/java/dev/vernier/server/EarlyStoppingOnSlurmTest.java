package dev.vernier.server;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link EarlyStoppingTest} with its training jobs on a real Slurm cluster. */
@ExtendWith(OnSlurm.class)
class EarlyStoppingOnSlurmTest extends EarlyStoppingTest {
    /** A stop travels through slurmctld and slurmd: up to a second on a loaded machine, where a local signal takes microseconds. */
    @Override
    String epochSeconds() {
        return "0.6";
    }
}
