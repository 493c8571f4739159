package dev.vernier.server;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link BayesianApiTest} with its training jobs on a real Slurm cluster. */
@ExtendWith(OnSlurm.class)
class BayesianApiOnSlurmTest extends BayesianApiTest {}
