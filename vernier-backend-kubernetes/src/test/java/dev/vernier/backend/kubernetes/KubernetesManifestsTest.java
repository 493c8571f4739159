package dev.vernier.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.training.StopCause;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes: every manifest parses into the Kubernetes model with no field the model does
 * not know (a typo would be silently kept as an "additional property"), the pieces refer to each
 * other, and the Role grants exactly the requests the backend makes.
 */
class KubernetesManifestsTest {
    private static final Path DEPLOY = Path.of("..", "deploy", "kubernetes");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final Pattern REQUEST = Pattern.compile(
            "(GET|POST|PUT|PATCH|DELETE) /(?:api/v1|apis/([^/]+)/[^/]+)/namespaces/[^/]+/([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?(?:\\?.*)?");

    @TempDir
    Path dir;

    private static Map<String, HasMetadata> manifests() throws IOException {
        try (Stream<Path> files = Files.list(DEPLOY)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().collect(Collectors.toMap(
                    f -> f.getFileName().toString(), f -> parse(f), (a, b) -> a, java.util.TreeMap::new));
        }
    }

    private static HasMetadata parse(Path file) {
        try {
            HasMetadata object = YAML.unmarshal(Files.readString(file), HasMetadata.class);
            List<String> unknown = new ArrayList<>();
            unknownFields(object, file.getFileName().toString(), unknown, new IdentityHashMap<>());
            assertThat(unknown).as("fields the Kubernetes model does not know").isEmpty();
            return object;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every non-empty additionalProperties below {@code o}, as paths. */
    private static void unknownFields(Object o, String at, List<String> unknown, Map<Object, Object> seen) {
        if (o == null || seen.put(o, o) != null) return;
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) unknownFields(e, at + "[" + i++ + "]", unknown, seen);
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, at + "." + k, unknown, seen));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) return;
        for (Method getter : o.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass"))
                continue;
            try {
                Object value = getter.invoke(o);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) unknown.add(at + ": " + extra.keySet());
                } else {
                    unknownFields(value, at + "." + getter.getName().substring(3), unknown, seen);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void the_manifests_parse_and_refer_to_each_other() throws Exception {
        Map<String, HasMetadata> all = manifests();

        assertThat(all).containsOnlyKeys("deployment.yaml", "persistentvolumeclaim.yaml", "role.yaml", "rolebinding.yaml",
                "service.yaml", "serviceaccount.yaml");
        assertThat(all.values()).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("vernier"));
        var account = (ServiceAccount) all.get("serviceaccount.yaml");
        var role = (Role) all.get("role.yaml");
        var binding = (RoleBinding) all.get("rolebinding.yaml");
        var deployment = (Deployment) all.get("deployment.yaml");
        var service = (Service) all.get("service.yaml");
        var claim = (PersistentVolumeClaim) all.get("persistentvolumeclaim.yaml");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(account.getMetadata().getName());
        });
        var pod = deployment.getSpec().getTemplate();
        assertThat(deployment.getSpec().getReplicas()).isOne();
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(pod.getMetadata().getLabels());
        assertThat(service.getSpec().getSelector()).isEqualTo(pod.getMetadata().getLabels());
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo(account.getMetadata().getName());
        var container = pod.getSpec().getContainers().getFirst();
        assertThat(container.getPorts()).extracting(p -> p.getName()).contains(service.getSpec().getPorts().getFirst()
                .getTargetPort().getStrVal());
        Map<String, EnvVar> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(env.get("VERNIER_BACKEND").getValue()).isEqualTo(KubernetesTrainingBackendFactory.NAME);
        assertThat(env.get("VERNIER_KUBERNETES_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(env.get("VERNIER_BIND_ADDRESS").getValue()).isEqualTo("0.0.0.0");
        assertThat(pod.getSpec().getVolumes()).anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName())
                .isEqualTo(claim.getMetadata().getName()));
        assertThat(container.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath())
                .isEqualTo(env.get("VERNIER_DATA_DIR").getValue()));
    }

    @Test
    void a_field_the_model_does_not_know_is_found() {
        assertThatThrownBy(() -> {
            Path typo = dir.resolve("typo.yaml");
            Files.writeString(typo, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x, namespace: vernier}\n"
                    + "spec:\n  replica: 2\n");
            parse(typo);
        }).isInstanceOf(AssertionError.class).hasMessageContaining("replica");
    }

    @Test
    void the_role_grants_exactly_the_requests_the_backend_makes() throws Exception {
        Set<String> granted = new TreeSet<>();
        for (var rule : ((Role) manifests().get("role.yaml")).getRules())
            for (String group : rule.getApiGroups())
                for (String resource : rule.getResources())
                    for (String verb : rule.getVerbs()) granted.add((group.isEmpty() ? "core" : group) + " " + resource + " " + verb);

        Set<String> made = new TreeSet<>();
        for (String request : requestsOfAWholeLifeCycle()) {
            Matcher m = REQUEST.matcher(request);
            assertThat(m.matches()).as(request).isTrue();
            String resource = m.group(3) + (m.group(5) != null ? "/" + m.group(5) : "");
            boolean named = m.group(4) != null;
            String verb = switch (m.group(1)) {
                case "GET" -> named ? "get" : request.contains("watch=true") ? "watch" : "list";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                default -> named ? "delete" : "deletecollection";
            };
            made.add((m.group(2) == null ? "core" : m.group(2)) + " " + resource + " " + verb);
        }

        assertThat(made).isEqualTo(granted);
    }

    /**
     * Launch (over a crashed launch's ConfigMap and NetworkPolicy), poll with a log, stop, kill, finish, an image failure;
     * a job of two hosts (over a crashed launch's Service) that fails.
     */
    private List<String> requestsOfAWholeLifeCycle() {
        try (MockCluster cluster = new MockCluster()) {
            MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
            TrainingBackend backend = cluster.backend(MockCluster.context(dir, clock, Duration.ofSeconds(5), Map.of()));
            TrainingJobSpec spec = new TrainingJobSpec("life", "arn:life", null, "xgb:1", "File", Map.of(), Map.of(),
                    List.of(new MetricDefinition("loss", "loss=([0-9.]+)")), List.of(), "s3://models/out",
                    new TrainingJobSpec.Resources("ml.m5.large", 1, 10), 3600, true);
            var shape = new InstanceTypes.Shape(2, "8Gi", 0);
            cluster.client.resource(JobSpecs.configMap(spec, MockCluster.NAMESPACE, shape)).create();
            cluster.client.resource(JobSpecs.networkPolicy(spec, MockCluster.NAMESPACE)).create();

            cluster.recording = true;
            backend.onRunExit(() -> { });   // a watch of the pods: list, then watch
            RunHandle handle = backend.launch(spec).handle();
            cluster.recording = false;
            String pod = cluster.startPod("life");
            cluster.running(pod);
            cluster.print(pod, "loss=1\n");
            cluster.recording = true;
            handle = backend.poll(handle).handle();
            handle = backend.stop(handle, StopCause.USER_REQUEST);
            cluster.recording = false;
            // Kubernetes is still terminating the Job (foreground deletion) when the grace period is over
            cluster.client.resource(JobSpecs.job(spec, MockCluster.NAMESPACE, shape, Duration.ofSeconds(5), 3600, clock.instant(), PodTaskSettings.NONE)).create();
            clock.advance(Duration.ofSeconds(6));
            cluster.recording = true;
            handle = backend.poll(handle).handle();
            cluster.recording = false;
            cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).delete();
            cluster.recording = true;
            assertThat(backend.poll(handle).isTerminal()).isTrue();

            RunHandle other = backend.launch(withName(spec, "image")).handle();
            cluster.recording = false;
            cluster.imagePullBackOff(cluster.startPod("image"));
            cluster.recording = true;
            assertThat(backend.poll(other).isTerminal()).isTrue();
            cluster.recording = false;

            // two hosts, over a crashed launch's Service; algo-2 fails
            TrainingJobSpec two = new TrainingJobSpec("pair", "arn:pair", null, "xgb:1", "File", Map.of(), Map.of(),
                    List.of(), List.of(), "s3://models/out", new TrainingJobSpec.Resources("ml.m5.large", 2, 10), 3600, false);
            cluster.client.resource(JobSpecs.hostService(two, MockCluster.NAMESPACE)).create();
            cluster.recording = true;
            RunHandle pair = backend.launch(two).handle();
            cluster.recording = false;
            String first = cluster.startHostPod("pair", "algo-1");
            String second = cluster.startHostPod("pair", "algo-2");
            cluster.running(first);
            cluster.exit(second, 1, "Error", null);
            cluster.recording = true;
            RunHandle failing = backend.poll(pair).handle();   // algo-1's Job deleted; the run ends once it has gone
            assertThat(backend.poll(failing).isTerminal()).isTrue();
            cluster.recording = false;
            backend.close();
            return List.copyOf(cluster.requests);
        }
    }

    private static TrainingJobSpec withName(TrainingJobSpec s, String name) {
        return new TrainingJobSpec(name, "arn:" + name, s.tuningJobName(), s.trainingImage(), s.trainingInputMode(),
                s.hyperParameters(), s.environment(), s.metricDefinitions(), s.inputChannels(), s.s3OutputPath(),
                s.resources(), s.maxRuntimeInSeconds(), s.enableNetworkIsolation());
    }
}
