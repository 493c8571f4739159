package dev.vernier.backend.container;

/** The training-backend contract on Docker (Debian's docker.io, dockerd started by .ci/setup-docker.sh), same images. */
class DockerTrainingBackendContractTest extends ContainerTrainingBackendContractTest {
    @Override
    protected String engine() {
        return "docker";
    }
}
