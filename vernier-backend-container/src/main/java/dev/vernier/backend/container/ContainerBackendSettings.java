package dev.vernier.backend.container;

import java.util.List;
import java.util.Objects;

/**
 * Settings of the container backend.
 *
 * @param engine         podman or Docker
 * @param images         TrainingImage names mapped to local images
 * @param instanceTypes  CPU, memory and GPUs per InstanceType
 * @param ulimits        {@code --ulimit} values every container gets (empty: the engine's defaults)
 * @param network        {@code --network} of jobs without network isolation (empty: the engine's default)
 * @param dataDirTag     a short tag of the data directory, in container names
 * @param python         the Python inside images that runs script mode's .py entry points
 */
record ContainerBackendSettings(ContainerEngine engine, ImageMapping images, InstanceTypes instanceTypes,
                                List<String> ulimits, String network, String dataDirTag, String python) {
    ContainerBackendSettings {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(instanceTypes, "instanceTypes");
        ulimits = List.copyOf(ulimits);
        network = network == null ? "" : network.strip();
        Objects.requireNonNull(dataDirTag, "dataDirTag");
        python = python == null || python.isBlank() ? "python3" : python.strip();
    }
}
