package dev.vernier.backend.slurm;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a cluster's nodes are this machine. A Pipe-mode channel is a FIFO in the job's directory
 * fed by a process on the server's machine: a program on another machine that opens the same path
 * (on a shared file system) never gets its bytes, so Pipe mode needs every node to be this machine.
 */
final class SlurmNodes {
    /** A node as sinfo lists it: its NodeAddr and NodeHostName. */
    record Node(String address, String hostName) {}

    private SlurmNodes() {}

    /** The first node that is another machine, as "name (NodeAddr a)", or empty when every node is this one. */
    static Optional<String> elsewhere(Map<String, Node> nodes) {
        return nodes.entrySet().stream().filter(e -> !isThisMachine(e.getValue()))
                .map(e -> e.getKey() + " (NodeAddr " + e.getValue().address() + ")").findFirst();
    }

    /**
     * A node is this machine when its address is a loopback address or one of this machine's own,
     * or when its host name is this machine's and its address does not resolve (slurm.conf may name
     * addresses only it knows). An address of another machine, or nothing known, is elsewhere.
     */
    static boolean isThisMachine(Node node) {
        try {
            for (InetAddress a : InetAddress.getAllByName(node.address()))
                if (a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null) return true;
            return false;
        } catch (UnknownHostException e) {
            return node.hostName() != null && node.hostName().equals(localHostName());
        } catch (SocketException e) {
            return false;
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
