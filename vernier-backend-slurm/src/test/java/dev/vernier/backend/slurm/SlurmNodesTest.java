package dev.vernier.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which of a cluster's nodes, as sinfo lists them, are this machine (Pipe mode needs every one to be). */
class SlurmNodesTest {
    private static final String OTHER_MACHINE = "192.0.2.7";   // TEST-NET-1: never an address of this machine

    @Test
    void loopback_addresses_and_this_machines_own_are_this_machine() throws Exception {
        assertThat(SlurmNodes.isThisMachine(new SlurmNodes.Node("127.0.0.1", "vm"))).isTrue();
        assertThat(SlurmNodes.isThisMachine(new SlurmNodes.Node("localhost", "vm"))).isTrue();
        InetAddress own = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream()).findFirst().orElseThrow();
        assertThat(SlurmNodes.isThisMachine(new SlurmNodes.Node(own.getHostAddress().replaceAll("%.*", ""), "x"))).isTrue();
    }

    @Test
    void another_machines_address_or_an_unknown_name_of_another_host_is_elsewhere() throws Exception {
        assertThat(SlurmNodes.isThisMachine(new SlurmNodes.Node(OTHER_MACHINE, InetAddress.getLocalHost().getHostName())))
                .as("the address decides when it resolves").isFalse();
        assertThat(SlurmNodes.isThisMachine(new SlurmNodes.Node("node-c.invalid", "node-c"))).isFalse();
        assertThat(SlurmNodes.isThisMachine(new SlurmNodes.Node("node-c.invalid", InetAddress.getLocalHost().getHostName())))
                .as("an address only slurm.conf knows, on a node named as this machine").isTrue();
    }

    @Test
    void the_first_node_elsewhere_is_named_with_its_address() {
        Map<String, SlurmNodes.Node> nodes = new LinkedHashMap<>();
        nodes.put("nodeA", new SlurmNodes.Node("127.0.0.1", "vm"));
        assertThat(SlurmNodes.elsewhere(nodes)).isEmpty();
        nodes.put("nodeC", new SlurmNodes.Node(OTHER_MACHINE, "nodec"));
        assertThat(SlurmNodes.elsewhere(nodes)).contains("nodeC (NodeAddr 192.0.2.7)");
    }
}
