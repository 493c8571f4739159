package dev.vernier.server;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link TuningJobLifecycleTest} with its training jobs on a real Slurm cluster. */
@ExtendWith(OnSlurm.class)
class TuningJobLifecycleOnSlurmTest extends TuningJobLifecycleTest {}
