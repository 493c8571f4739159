package dev.vernier.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test kubelet itself, where the contract suite's runs depend on it behaving as a kubelet does. */
class KubeletTest {
    /**
     * A pod deleted while its sidecar starts: the sidecar's SIGTERM can come before its PID 1 has a
     * handler, so it is ignored; the backend's kill after the stop grace (a delete with grace 0) must
     * then end it, not the pod's own grace period (a minute, with the upload's time).
     */
    @Test
    void a_later_delete_with_a_shorter_grace_period_ends_a_sidecar_that_ignored_its_SIGTERM(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("deaf.sh"), "#!/bin/sh\ntrap '' TERM\nwhile true; do sleep 0.1; done\n");
        assertThat(bin.resolve("deaf.sh").toFile().setExecutable(true)).isTrue();
        try (MockCluster cluster = new MockCluster();
             Kubelet kubelet = new Kubelet(cluster, image -> new Kubelet.Image(List.of("/opt/bin/deaf.sh"),
                     Map.of("/opt/bin", bin), Map.of("PATH", Kubelet.PATH)), Files.createDirectories(dir.resolve("pods")))) {
            cluster.client.pods().inNamespace(MockCluster.NAMESPACE).resource(new PodBuilder()
                    .withNewMetadata().withName("p").withLabels(Map.of("app", "deaf")).withFinalizers(Kubelet.FINALIZER).endMetadata()
                    .withNewSpec().withTerminationGracePeriodSeconds(61L)
                    .addNewInitContainer().withName("sidecar").withImage("deaf").withRestartPolicy("Always")
                        .withNewStartupProbe().withNewExec().withCommand("test", "-e", "/nonexistent").endExec().endStartupProbe()
                    .endInitContainer()
                    .addNewContainer().withName("main").withImage("deaf").endContainer().endSpec()
                    .withNewStatus().withPhase("Pending").endStatus().build()).create();
            PodResource pod = cluster.client.pods().inNamespace(MockCluster.NAMESPACE).withName("p");
            waitUntil(() -> Files.exists(dir.resolve("pods/p/containers/sidecar/log")));   // started, never ready

            pod.delete();   // the pod's own grace period: 61 s
            Thread.sleep(1000);
            long killed = System.nanoTime();
            pod.withGracePeriod(0).delete();
            waitUntil(() -> pod.get() == null);

            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(15));
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 90 s");
            Thread.sleep(50);
        }
    }
}
