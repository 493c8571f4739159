package dev.vernier.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Job controller, the garbage collector's foreground deletion and a kubelet, for the mock API
 * server, that run what a pod spec says as local processes: each container is its image's entrypoint
 * (or the spec's command) with the spec's args and environment, in a PID, mount and UTS namespace
 * of its own ({@code unshare}), so that it is PID 1, ends with everything it started, has the
 * pod's host name, and sees its volume mounts at their mount paths ({@code /opt/ml} bound to a
 * per-pod directory, a ConfigMap's files, read-only where the spec says so) and a {@code /tmp} of its
 * own. Init containers run in order before the others; a sidecar ({@code restartPolicy: Always})
 * is started and probed ({@code startupProbe} exec, run inside the container with {@code nsenter})
 * before the next container, and sent SIGTERM after the training container has ended, as the
 * kubelet does. A deleted pod gets SIGTERM, then SIGKILL after its grace period; its sidecars then
 * get at least the kubelet's minimum of 2 seconds. Needs root (mount namespaces).
 *
 * A pod whose {@code subdomain} is a headless Service's finds that Service's pods by name through an
 * {@code /etc/hosts} of its own (the cluster DNS's stand-in, rewritten as pods come and go), each pod
 * at a loopback address of its own (all share this machine's network namespace).
 *
 * <p>What it does not do: pull images (an {@link Image} maps a name to a local entrypoint and
 * files), enforce resources, network policies or deadlines, restart anything.
 */
final class Kubelet implements AutoCloseable {
    /** What an image stands for here: its entrypoint, its files (container path to host path) and environment. */
    record Image(List<String> entrypoint, Map<String, Path> files, Map<String, String> env) {}

    static final String FINALIZER = "vernier.test/kubelet";
    static final String FOREGROUND = "foregroundDeletion";
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final long MIN_GRACE_MILLIS = 2000;   // the kubelet's minimumGracePeriodInSeconds

    private final MockCluster cluster;
    private final KubernetesClient client;
    private final Function<String, Image> images;
    private final Path root;
    private final Map<String, PodRun> pods = new ConcurrentHashMap<>();
    private final java.util.Set<String> jobsWithPods = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger addresses = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread loop;
    private volatile boolean closed;

    /** @param images what each image name stands for (null: an image this kubelet cannot run) */
    Kubelet(MockCluster cluster, Function<String, Image> images, Path root) {
        this.cluster = cluster;
        this.client = cluster.newClient();
        this.images = images;
        this.root = root;
        this.loop = Thread.ofPlatform().daemon().name("kubelet").start(this::loop);
    }

    private void loop() {
        while (!closed) {
            try {
                List<Pod> all = client.pods().inNamespace(MockCluster.NAMESPACE).list().getItems();
                controlJobs(all);
                runPods(all);
                resolveHosts();
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (KubernetesClientException e) {
                if (!closed) System.err.println("kubelet: " + e.getMessage());
            }
        }
    }

    /** The Job controller and, for a Job being deleted, the garbage collector in foreground mode. */
    private void controlJobs(List<Pod> pods) {
        for (Job job : client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).list().getItems()) {
            String name = job.getMetadata().getName();
            List<Pod> owned = pods.stream()
                    .filter(p -> name.equals(p.getMetadata().getLabels().get("batch.kubernetes.io/job-name"))).toList();
            if (job.getMetadata().getDeletionTimestamp() != null) {
                owned.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                        .forEach(p -> client.pods().inNamespace(MockCluster.NAMESPACE).withName(p.getMetadata().getName()).delete());
                if (owned.isEmpty()) edit(job, List.of());
                continue;
            }
            if (!jobsWithPods.add(job.getMetadata().getUid())) continue;
            // The API server adds this on a foreground delete; added here up front, the Job then waits for its pods.
            if (!edit(job, List.of(FOREGROUND))) continue;
            Pod pod = new PodBuilder().withNewMetadata().withName(name + "-" + Long.toString(System.nanoTime() % 46656, 36))
                    .withNamespace(MockCluster.NAMESPACE).withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                    .addToLabels("batch.kubernetes.io/job-name", name).withFinalizers(FINALIZER)
                    .withCreationTimestamp(Instant.now().toString()).endMetadata()
                    .withSpec(job.getSpec().getTemplate().getSpec())
                    .withNewStatus().withPhase("Pending").endStatus().build();
            client.pods().inNamespace(MockCluster.NAMESPACE).resource(pod).create();
        }
    }

    private boolean edit(Job job, List<String> finalizers) {
        try {
            client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName(job.getMetadata().getName())
                    .edit(j -> { j.getMetadata().setFinalizers(finalizers); return j; });
            return true;
        } catch (KubernetesClientException e) {
            return false;   // gone meanwhile
        }
    }

    /** The kubelet: starts new pods, terminates deleted ones and lets them go once their containers have ended. */
    private void runPods(List<Pod> all) {
        for (Pod pod : all) {
            if (pod.getMetadata().getFinalizers() == null || !pod.getMetadata().getFinalizers().contains(FINALIZER)) continue;
            String name = pod.getMetadata().getName();
            PodRun run = pods.computeIfAbsent(name, n -> PodRun.start(pod, this));
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                long grace = cluster.podDeleteGrace.getOrDefault(name, pod.getSpec().getTerminationGracePeriodSeconds());
                run.delete(TimeUnit.SECONDS.toMillis(grace));
                if (run.ended()) {
                    client.pods().inNamespace(MockCluster.NAMESPACE).withName(name)
                            .edit(p -> { p.getMetadata().setFinalizers(List.of()); return p; });
                    pods.remove(name);
                }
            }
        }
    }

    /**
     * The cluster DNS for headless Services, as /etc/hosts files: every running pod whose
     * {@code subdomain} is a headless Service selecting it finds the Service's other pods by host
     * name ({@code algo-2}, as the pod's DNS search list makes it resolve) and by their full name
     * ({@code algo-2.<service>.<namespace>.svc.cluster.local}). Not-ready pods are listed too
     * ({@code publishNotReadyAddresses}).
     */
    private void resolveHosts() {
        for (Service service : client.services().inNamespace(MockCluster.NAMESPACE).list().getItems()) {
            if (!"None".equals(service.getSpec().getClusterIP()) || service.getSpec().getSelector() == null) continue;
            String name = service.getMetadata().getName();
            List<PodRun> members = pods.values().stream()
                    .filter(r -> name.equals(r.pod().getSpec().getSubdomain()) && !r.ended()
                            && r.pod().getMetadata().getLabels().entrySet().containsAll(service.getSpec().getSelector().entrySet()))
                    .sorted(java.util.Comparator.comparing(PodRun::hostname)).toList();
            StringBuilder text = new StringBuilder("127.0.0.1\tlocalhost\n");
            for (PodRun m : members)
                text.append(m.address()).append('\t').append(m.hostname()).append('.').append(name).append('.')
                        .append(MockCluster.NAMESPACE).append(".svc.cluster.local ").append(m.hostname()).append('\n');
            for (PodRun m : members) m.hosts(text.toString());
        }
    }

    /** A loopback address of the next pod's own: 127.88.x.y. */
    String nextAddress() {
        int n = addresses.incrementAndGet();
        return "127.88." + (n / 250) + "." + (n % 250 + 1);
    }

    Image image(String name) {
        Image image = images.apply(name);
        if (image == null) throw new IllegalArgumentException("the test kubelet knows no image " + name);
        return image;
    }

    KubernetesClient client() {
        return client;
    }

    Path podDirectory(String pod) {
        try {
            return Files.createDirectories(root.resolve(pod));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void logTo(String pod, Container container, Path log) {
        cluster.containerLogs.put(pod + "/" + container.getName(), log);
    }

    boolean closed() {
        return closed;
    }

    static long minGraceMillis() {
        return MIN_GRACE_MILLIS;
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pods.values().forEach(PodRun::kill);
        client.close();
    }

    /** Every argument of a container's process, in order: as a pod spec's command and args combine with the image's. */
    static List<String> argv(Container c, Image image) {
        List<String> argv = new ArrayList<>(c.getCommand() == null || c.getCommand().isEmpty() ? image.entrypoint() : c.getCommand());
        if (c.getArgs() != null) argv.addAll(c.getArgs());
        return argv;
    }
}
