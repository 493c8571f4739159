package dev.vernier.server;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link EarlyStoppingTest} with its training jobs on a real Slurm cluster. */
@ExtendWith(OnSlurm.class)
class EarlyStoppingOnSlurmTest extends EarlyStoppingTest {}
