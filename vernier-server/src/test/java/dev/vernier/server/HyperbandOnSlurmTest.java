package dev.vernier.server;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link HyperbandTest} with its training jobs on a real Slurm cluster. */
@ExtendWith(OnSlurm.class)
class HyperbandOnSlurmTest extends HyperbandTest {
    /** A stop travels through slurmctld and slurmd: up to a second on a loaded machine. */
    @Override
    String epochSeconds() {
        return "0.6";
    }
}
