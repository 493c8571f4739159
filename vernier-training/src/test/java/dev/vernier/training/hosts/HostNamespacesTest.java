package dev.vernier.training.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.training.jobdir.JobDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostNamespacesTest {
    @Test
    void what_every_host_has_alike_is_passed_once_and_each_hosts_own_values_under_its_number() {
        var env = HostNamespaces.environment(List.of(
                Map.of("SM_HOSTS", "[\"algo-1\",\"algo-2\"]", "SM_CURRENT_HOST", "algo-1", "SM_HP_LEARNING-RATE", "0.1"),
                Map.of("SM_HOSTS", "[\"algo-1\",\"algo-2\"]", "SM_CURRENT_HOST", "algo-2", "SM_HP_LEARNING-RATE", "0.1")));

        assertThat(env).containsOnly(
                Map.entry("SM_HOSTS", "[\"algo-1\",\"algo-2\"]"), Map.entry("SM_HP_LEARNING-RATE", "0.1"),
                Map.entry("VERNIER_HOST_1_SM_CURRENT_HOST", "algo-1"), Map.entry("VERNIER_HOST_2_SM_CURRENT_HOST", "algo-2"));
    }

    @Test
    void a_variable_that_differs_between_hosts_must_be_a_shell_name_for_the_supervisor_to_hand_it_on() {
        assertThatThrownBy(() -> HostNamespaces.environment(List.of(Map.of("SM_CHANNEL_A-B", "/x"), Map.of("SM_CHANNEL_A-B", "/y"))))
                .hasMessageContaining("SM_CHANNEL_A-B differs between hosts");
    }

    @Test
    void hosts_get_loopback_addresses_of_a_block_of_their_jobs_own() {
        var job = new JobDirectory(Path.of("/data/jobs/job-1"));
        var other = new JobDirectory(Path.of("/data/jobs/job-2"));

        assertThat(HostNamespaces.address(job, 1)).matches("127\\.\\d+\\.\\d+\\.1").doesNotStartWith("127.0.");
        assertThat(HostNamespaces.address(job, 3)).isEqualTo(HostNamespaces.address(job, 1).replaceAll("\\.1$", ".3"));
        assertThat(HostNamespaces.address(other, 1)).isNotEqualTo(HostNamespaces.address(job, 1));
    }
}
