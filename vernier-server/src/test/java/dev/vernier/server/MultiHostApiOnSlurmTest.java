package dev.vernier.server;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link MultiHostApiTest} on a real Slurm cluster of two nodes: one host per node. */
@ExtendWith(OnSlurm.class)
class MultiHostApiOnSlurmTest extends MultiHostApiTest {
    @Override
    int hosts() {
        return 2;
    }
}
