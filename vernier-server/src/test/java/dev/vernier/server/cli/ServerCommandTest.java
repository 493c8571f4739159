package dev.vernier.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.server.config.TrainingBackends;
import org.junit.jupiter.api.Test;

class ServerCommandTest {
    @Test
    void help_lists_every_setting_and_the_backends_own_under_their_heading() {
        String help = ServerCommand.commandLine(TrainingBackends.discovered()).getUsageMessage().replaceAll("\\s+", " ");

        assertThat(help).contains("--port=PORT", "--stop-grace-seconds=SECONDS", "--object-store-dir=DIR",
                "--backend=BACKEND", "one of: container (each training job a container of the local podman or Docker; "
                        + "file:// programs as local processes), local (each training job a process on the server's machine), slurm (each training job a batch job",
                "(default local)");
        assertThat(help.substring(help.indexOf("Settings of the training backend local (with --backend local):")))
                .contains("--images=IMAGES TrainingImage names mapped to local programs");
        assertThat(help.substring(help.indexOf("Settings of the training backend container (with --backend container):")))
                .contains("--container-engine=ENGINE podman, docker", "--container-images=IMAGES");
        // The Kubernetes backend is not in the server's jar (its client would add 35 MB for everyone).
        assertThat(help).doesNotContain("kubernetes");
    }
}
