package dev.vernier.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.training.hosts.HostNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch script's mapping of algo-k to node k's address, with a scontrol that answers as a cluster of other machines would. */
class NodeAddressesTest {
    @TempDir
    Path dir;

    @Test
    void nodes_with_distinct_addresses_get_algo_k_in_the_allocations_order() throws Exception {
        assertThat(run("10.1.2.7", "10.1.2.3")).isEqualTo("127.0.0.1\tlocalhost\n10.1.2.7\talgo-1\n10.1.2.3\talgo-2\n");
    }

    @Test
    void nodes_that_share_an_address_keep_the_jobs_loopback_addresses() throws Exception {
        assertThat(run("127.0.0.1", "127.0.0.1")).isEqualTo("as written at launch\n");
        assertThat(run("10.1.2.7", "10.1.2.7")).isEqualTo("as written at launch\n");
    }

    /** The hosts file after the snippet ran for nodes n1, n2 with these addresses. */
    private String run(String first, String second) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path scontrol = Files.writeString(bin.resolve("scontrol"), """
                #!/bin/sh
                case "$*" in
                  "show hostnames n[1-2]") echo n1; echo n2 ;;
                  "show node n1") echo "NodeName=n1 Arch=x86_64 NodeAddr=%s NodeHostName=n1 Version=22.05" ;;
                  "show node n2") echo "NodeName=n2 Arch=x86_64 NodeAddr=%s NodeHostName=n2 Version=22.05" ;;
                  *) exit 1 ;;
                esac
                """.formatted(first, second));
        Files.setPosixFilePermissions(scontrol, PosixFilePermissions.fromString("rwx------"));
        Path hosts = Files.createDirectories(dir.resolve("vernier")).resolve(HostNamespaces.HOSTS_FILE);
        Files.writeString(hosts, "as written at launch\n");
        var pb = new ProcessBuilder("sh", "-c", BatchScript.NODE_ADDRESSES).directory(dir.toFile()).inheritIO();
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("SLURM_JOB_NODELIST", "n[1-2]");
        assertThat(pb.start().waitFor()).isZero();
        return Files.readString(hosts);
    }
}
