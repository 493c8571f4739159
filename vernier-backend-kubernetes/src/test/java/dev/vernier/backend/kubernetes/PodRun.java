package dev.vernier.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/** One pod as {@link Kubelet} runs it: its volumes, then its init containers, sidecars and containers, on a thread of its own. */
final class PodRun {
    private final Pod pod;
    private final Kubelet kubelet;
    private final Path dir;
    private final Map<String, Path> volumes = new LinkedHashMap<>();
    private final List<Proc> sidecars = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Proc main;
    private volatile long deleteDeadline = Long.MAX_VALUE;   // System.nanoTime() by which everything is killed
    private final String address;
    private String hostsText;

    private PodRun(Pod pod, Kubelet kubelet) {
        this.pod = pod;
        this.kubelet = kubelet;
        this.dir = kubelet.podDirectory(pod.getMetadata().getName());
        this.address = kubelet.nextAddress();
    }

    static PodRun start(Pod pod, Kubelet kubelet) {
        PodRun run = new PodRun(pod, kubelet);
        Thread.ofPlatform().daemon().name("pod-" + pod.getMetadata().getName()).start(run::run);
        return run;
    }

    boolean ended() {
        return ended.getCount() == 0;
    }

    /** The pod was deleted with {@code graceMillis}: SIGTERM now, SIGKILL when it has passed. */
    void delete(long graceMillis) {
        long deadline = System.nanoTime() + graceMillis * 1_000_000;
        if (deadline >= deleteDeadline) return;   // a later delete can only shorten the grace period
        boolean first = !deleting();
        deleteDeadline = deadline;
        Proc m = main;
        if (m != null && first) m.signal("TERM");
    }

    private boolean deleting() {
        return deleteDeadline != Long.MAX_VALUE;
    }

    void kill() {
        Proc m = main;
        if (m != null) m.signal("KILL");
        sidecars.forEach(s -> s.signal("KILL"));
    }

    private void run() {
        try {
            makeVolumes();
            status(s -> s.withPhase("Pending").withPodIP(address));
            for (Container c : pod.getSpec().getInitContainers()) {
                if (deleting()) break;
                Proc p = Proc.start(c, this);
                if (!"Always".equals(c.getRestartPolicy())) main = p;   // what a delete sends SIGTERM to
                if ("Always".equals(c.getRestartPolicy())) {
                    sidecars.add(p);
                    while (!p.probe() && p.alive() && !deleting()) Thread.sleep(100);
                    initStatus(c.getName(), running(c.getName()));
                    continue;
                }
                initStatus(c.getName(), running(c.getName()));
                int code = p.waitFor(() -> deleteDeadline);
                initStatus(c.getName(), terminated(c, p, code));
                if (code != 0) {
                    stopSidecars();
                    status(s -> s.withPhase("Failed"));
                    return;
                }
            }
            int code = 137;
            if (!deleting()) {
                Container c = pod.getSpec().getContainers().getFirst();
                main = Proc.start(c, this);
                if (deleting()) main.signal("TERM");   // deleted while it started
                status(s -> s.withPhase("Running").withContainerStatuses(running(c.getName())));
                code = main.waitFor(() -> deleteDeadline);
                int exit = code;
                status(s -> s.withContainerStatuses(terminated(c, main, exit)));
            }
            stopSidecars();
            int exit = code;
            status(s -> s.withPhase(exit == 0 ? "Succeeded" : "Failed"));
        } catch (InterruptedException e) {
            kill();
        } catch (RuntimeException | IOException e) {
            if (!kubelet.closed()) System.err.println("kubelet: pod " + pod.getMetadata().getName() + ": " + e);
            kill();
        } finally {
            ended.countDown();
        }
    }

    /**
     * SIGTERM to the sidecars, in reverse order, once the containers have ended; SIGKILL after the
     * grace left, at least 2 s. A later delete with a shorter grace period (a kill after a stop's grace)
     * shortens the wait, as it does on a kubelet: a sidecar that never saw its SIGTERM (sent before
     * its PID 1 had a handler) is not kept for the pod's whole grace period.
     */
    private void stopSidecars() throws InterruptedException {
        for (Proc p : sidecars.reversed()) {
            p.signal("TERM");
            long termed = System.nanoTime();
            long left = deleting() ? (deleteDeadline - termed) / 1_000_000 : Long.MAX_VALUE;
            long grace = Math.max(deleting() ? left : pod.getSpec().getTerminationGracePeriodSeconds() * 1000,
                    Kubelet.minGraceMillis());
            long until = termed + grace * 1_000_000;
            long atLeast = termed + Kubelet.minGraceMillis() * 1_000_000;
            int code = p.waitFor(() -> deleting() ? Math.min(until, Math.max(deleteDeadline, atLeast)) : until);
            initStatus(p.container().getName(), terminated(p.container(), p, code));
        }
    }

    /**
     * The pod's /etc/hosts when it has a {@code subdomain} (a headless Service's): the cluster DNS's
     * stand-in, which {@link Kubelet} rewrites in place as the Service's pods come and go.
     */
    Path hostsFile() {
        return pod.getSpec().getSubdomain() == null ? null : dir.resolve("etc-hosts");
    }

    /** The pod's own address: a loopback address of its own, as the pods share this machine's network. */
    String address() {
        return address;
    }

    String hostname() {
        return pod.getSpec().getHostname() == null ? pod.getMetadata().getName() : pod.getSpec().getHostname();
    }

    /** Writes the pod's /etc/hosts in place (it is bind-mounted: a rename would not reach the containers) when it changed. */
    synchronized void hosts(String text) {
        Path file = hostsFile();
        if (file == null || text.equals(hostsText)) return;
        try {
            Files.writeString(file, text);
            hostsText = text;
        } catch (IOException e) {
            throw unchecked(e);
        }
    }

    private void makeVolumes() throws IOException {
        if (hostsFile() != null)
            hosts("127.0.0.1\tlocalhost\n" + address + "\t" + hostname() + "." + pod.getSpec().getSubdomain() + "."
                    + MockCluster.NAMESPACE + ".svc.cluster.local " + hostname() + "\n");
        for (Volume v : pod.getSpec().getVolumes()) {
            Path path = Files.createDirectories(dir.resolve("volumes").resolve(v.getName()));
            if (v.getConfigMap() != null) {
                ConfigMap map = kubelet.client().configMaps().inNamespace(MockCluster.NAMESPACE)
                        .withName(v.getConfigMap().getName()).get();
                if (map == null) throw new IllegalStateException("no ConfigMap " + v.getConfigMap().getName());
                if (v.getConfigMap().getItems() == null || v.getConfigMap().getItems().isEmpty())
                    for (var file : map.getData().entrySet()) Files.writeString(path.resolve(file.getKey()), file.getValue());
                else   // items: only these keys, each at its path
                    for (var item : v.getConfigMap().getItems()) {
                        String data = map.getData().get(item.getKey());
                        if (data == null) throw new IllegalStateException("no key " + item.getKey() + " in ConfigMap " + map.getMetadata().getName());
                        Files.writeString(path.resolve(item.getPath()), data);
                    }
            } else if (v.getEmptyDir() == null) {
                throw new IllegalArgumentException("the test kubelet has only emptyDir and configMap volumes: " + v);
            }
            volumes.put(v.getName(), path);
        }
    }

    Path directory() {
        return dir;
    }

    Pod pod() {
        return pod;
    }

    Kubelet kubelet() {
        return kubelet;
    }

    Path volume(String name) {
        return volumes.get(name);
    }

    /** The container's environment: its image's, the host name, then the spec's envFrom Secrets and env. */
    Map<String, String> environment(Container c, Kubelet.Image image) {
        Map<String, String> env = new LinkedHashMap<>(image.env());
        env.put("HOSTNAME", hostname());
        if (c.getEnvFrom() != null)
            for (EnvFromSource from : c.getEnvFrom()) {
                Secret secret = kubelet.client().secrets().inNamespace(MockCluster.NAMESPACE)
                        .withName(from.getSecretRef().getName()).get();
                if (secret == null) throw new IllegalStateException("no Secret " + from.getSecretRef().getName());
                secret.getData().forEach((k, v) -> env.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
        if (c.getEnv() != null) for (EnvVar e : c.getEnv()) env.put(e.getName(), e.getValue());
        return env;
    }

    /** Where a path of the container is on this machine: below one of its volume mounts, or its /tmp. */
    Path hostPath(Container c, Path tmp, String containerPath) {
        VolumeMount best = null;
        for (VolumeMount m : c.getVolumeMounts())
            if ((containerPath + "/").startsWith(m.getMountPath() + "/")
                    && (best == null || m.getMountPath().length() > best.getMountPath().length())) best = m;
        if (best != null) return volume(best.getName()).resolve(containerPath.substring(best.getMountPath().length()).replaceFirst("^/", ""));
        if (containerPath.startsWith("/tmp/")) return tmp.resolve(containerPath.substring(5));
        return null;
    }

    private static ContainerStatus running(String name) {
        return new ContainerStatusBuilder().withName(name).withStarted(true).withNewState().withNewRunning()
                .withStartedAt(Instant.now().toString()).endRunning().endState().build();
    }

    private static ContainerStatus terminated(Container c, Proc p, int code) {
        return new ContainerStatusBuilder().withName(c.getName()).withStarted(false).withNewState().withNewTerminated()
                .withExitCode(code).withReason(code == 0 ? "Completed" : "Error").withMessage(p.terminationMessage())
                .withFinishedAt(Instant.now().toString()).endTerminated().endState().build();
    }

    private void initStatus(String name, ContainerStatus status) {
        status(s -> {
            List<ContainerStatus> all = new ArrayList<>(s.buildInitContainerStatuses() == null ? List.of() : s.buildInitContainerStatuses());
            all.removeIf(x -> x.getName().equals(name));
            all.add(status);
            s.withInitContainerStatuses(all);
        });
    }

    private void status(Consumer<PodStatusBuilder> change) {
        synchronized (kubelet) {
            Pod now = kubelet.client().pods().inNamespace(MockCluster.NAMESPACE).withName(pod.getMetadata().getName()).get();
            if (now == null) return;
            var builder = new PodStatusBuilder(now.getStatus());
            change.accept(builder);
            now.setStatus(builder.build());
            kubelet.client().pods().inNamespace(MockCluster.NAMESPACE).resource(now).updateStatus();
        }
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
