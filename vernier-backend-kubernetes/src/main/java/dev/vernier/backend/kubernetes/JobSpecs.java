package dev.vernier.backend.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.training.jobdir.ConfigFiles;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.TrainingEnvironment;
import dev.vernier.training.jobdir.TrainingHost;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Kubernetes objects of one training job: a ConfigMap with its input/config files, a
 * {@code batch/v1} Job whose one pod runs {@code TrainingImage train} with SageMaker's
 * {@code /opt/ml} and {@code SM_*} environment, and, for EnableNetworkIsolation, a NetworkPolicy
 * that denies the pod all traffic. All three have the same deterministic name, {@link #name}.
 * <p>
 * A job of N &gt; 1 hosts has one Job of one pod per host, {@link #jobName} ({@code <name>-algo-k}),
 * each pod with host name {@code algo-k} and its own {@code resourceconfig.json} and {@code SM_*}
 * host variables, and a headless Service, {@link #hostService}, as the pods' {@code subdomain}:
 * its domain in the pods' DNS search list makes {@code algo-k} resolve to the peer. One Job per
 * host rather than an Indexed Job, whose controller would name the hosts {@code <job>-<index>}.
 */
public final class JobSpecs {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String TRAINING_JOB = "vernier.dev/training-job";
    public static final String TUNING_JOB = "vernier.dev/tuning-job";
    public static final String LAUNCH_TIME = "vernier.dev/launch-time";
    public static final String METRIC_DEFINITIONS = "vernier.dev/metric-definitions";
    public static final String MAX_RUNTIME = "vernier.dev/max-runtime-seconds";
    /** The label of a multi-host job's Jobs and pods naming their host, {@code algo-k}. */
    public static final String HOST = "vernier.dev/host";
    /** The cluster's DNS domain, Kubernetes' default: the hosts' search domain is below it. */
    public static final String CLUSTER_DOMAIN = "cluster.local";
    public static final String CONTAINER = "training";
    public static final String TERMINATION_MESSAGE_PATH = "/opt/ml/output/failure";
    /** The directories of /opt/ml that SageMaker makes before a program starts (input/config is the ConfigMap). */
    public static final List<String> LAYOUT = List.of("input/data", "model", "output/data");
    /** The init container that stages the channels, and the sidecar that uploads the artifacts. */
    public static final String STAGE = "stage";
    public static final String UPLOAD = "upload";
    /** How Vernier's image starts its pod tasks: the class path as Jib lays it out below {@code /opt/vernier}. */
    public static final List<String> POD_TASKS = List.of("java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-cp", "@/opt/vernier/jib-classpath-file",
            "dev.vernier.backend.kubernetes.pod.PodTasks");
    /** How long after MaxRuntimeInSeconds and the grace period Kubernetes itself ends a pod Vernier has not stopped. */
    public static final Duration DEADLINE_BACKSTOP = Duration.ofSeconds(60);

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobSpecs() {}

    /**
     * The name of the Job, ConfigMap and NetworkPolicy of a training job: its name in lower case
     * (cut to 40 characters), a '-' and 12 hex digits of a SHA-256 of the exact name, so that
     * names differing only in case, or in what was cut, stay apart. The same job always gets the
     * same name: creating it again finds the first.
     */
    public static String name(String trainingJobName) {
        String lower = trainingJobName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (lower.length() > 40) lower = lower.substring(0, 40);
        lower = lower.replaceAll("^-+|-+$", "");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(trainingJobName.getBytes(StandardCharsets.UTF_8));
            return (lower.isEmpty() ? "job" : lower) + "-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The labels of everything made for the job: who manages it, the training job and its tuning job. */
    public static Map<String, String> labels(TrainingJobSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, "vernier");
        labels.put(TRAINING_JOB, spec.trainingJobName());
        if (spec.tuningJobName() != null) labels.put(TUNING_JOB, spec.tuningJobName());
        return labels;
    }

    /** The job's hosts, algo-1 ... algo-N (InstanceCount), each with the instance type's CPUs and GPUs. */
    public static List<TrainingHost> hosts(TrainingJobSpec spec, InstanceTypes.Shape shape) {
        return TrainingHost.cluster(spec.resources().instanceCount(), shape.cpus(), shape.gpus(), "eth0");
    }

    /** The Job of one host: {@link #name} for a job of one host, {@code <name>-algo-k} for host k of several. */
    public static String jobName(String trainingJobName, TrainingHost host) {
        return host.distributed() ? name(trainingJobName) + "-" + host.name() : name(trainingJobName);
    }

    /** The headless Service of a multi-host job (a DNS label must start with a letter, a job's name need not). */
    public static String serviceName(String trainingJobName) {
        return "hosts-" + name(trainingJobName);
    }

    /**
     * Where a host's upload sidecar stores its {@code model.tar.gz} and {@code output.tar.gz}: the job's
     * {@code <S3OutputPath>/<job>/output/} for one host; for host k of several a key of its own,
     * {@code <S3OutputPath>/<job>/host-output/algo-k/}, from which the server merges the job's archives.
     *
     * @param outputPrefix {@link TrainingJobSpec#outputPrefix()}, ending in {@code output/}
     */
    public static String uploadPrefix(String outputPrefix, TrainingHost host) {
        if (!host.distributed()) return outputPrefix;
        return hostUploadPrefix(outputPrefix, host.name());
    }

    /** {@link #uploadPrefix} of host {@code name} of a job of several. */
    static String hostUploadPrefix(String outputPrefix, String name) {
        if (!outputPrefix.endsWith("/output/")) throw new IllegalArgumentException("not a job's output prefix: " + outputPrefix);
        return outputPrefix.substring(0, outputPrefix.length() - "output/".length()) + "host-output/" + name + "/";
    }

    /** The ConfigMap key of a host's resourceconfig.json: one key per host when there are several. */
    static String resourceConfigKey(TrainingHost host) {
        return host.distributed() ? "resourceconfig-" + host.name() + ".json" : "resourceconfig.json";
    }

    /**
     * The headless Service ({@code clusterIP: None}) selecting the job's pods, the {@code subdomain}
     * of each: DNS then has {@code algo-k.<service>.<namespace>.svc.<cluster domain>}. Addresses are
     * published before the pods are ready, as the hosts look each other up at start.
     */
    public static Service hostService(TrainingJobSpec spec, String namespace) {
        return new ServiceBuilder()
                .withNewMetadata().withName(serviceName(spec.trainingJobName())).withNamespace(namespace)
                    .withLabels(labels(spec)).endMetadata()
                .withNewSpec()
                    .withClusterIP("None")
                    .withSelector(Map.of(TRAINING_JOB, spec.trainingJobName()))
                    .withPublishNotReadyAddresses(true)
                .endSpec()
                .build();
    }

    /** hyperparameters.json, resourceconfig.json and inputdataconfig.json, mounted at /opt/ml/input/config. */
    public static ConfigMap configMap(TrainingJobSpec spec, String namespace, InstanceTypes.Shape shape) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("hyperparameters.json", ConfigFiles.hyperParameters(spec).toString());
        for (TrainingHost host : hosts(spec, shape))
            files.put(resourceConfigKey(host), ConfigFiles.resourceConfig(spec, host).toString());
        files.put("inputdataconfig.json", ConfigFiles.inputDataConfig(spec).toString());
        return new ConfigMapBuilder().withNewMetadata().withName(name(spec.trainingJobName())).withNamespace(namespace)
                .withLabels(labels(spec)).endMetadata().withData(files).build();
    }

    /**
     * The Job: one pod, never restarted or retried (Vernier decides about retries), ended by
     * Kubernetes at MaxRuntimeInSeconds plus the grace period plus {@link #DEADLINE_BACKSTOP} if
     * Vernier has not stopped it by then; kept {@code ttlSeconds} after it ends.
     */
    public static Job job(TrainingJobSpec spec, String namespace, InstanceTypes.Shape shape, Duration stopGrace,
                          long ttlSeconds, Instant launchTime, PodTaskSettings tasks) {
        return jobs(spec, namespace, shape, stopGrace, ttlSeconds, launchTime, tasks).getFirst();
    }

    /** The Jobs of every host, algo-1 first (see {@link #job} for one). */
    public static List<Job> jobs(TrainingJobSpec spec, String namespace, InstanceTypes.Shape shape, Duration stopGrace,
                                 long ttlSeconds, Instant launchTime, PodTaskSettings tasks) {
        return hosts(spec, shape).stream()
                .map(h -> hostJob(spec, namespace, h, shape, stopGrace, ttlSeconds, launchTime, tasks)).toList();
    }

    private static Job hostJob(TrainingJobSpec spec, String namespace, TrainingHost host, InstanceTypes.Shape shape,
                               Duration stopGrace, long ttlSeconds, Instant launchTime, PodTaskSettings tasks) {
        String name = name(spec.trainingJobName());
        Map<String, String> labels = labels(spec);
        if (host.distributed()) labels.put(HOST, host.name());
        Map<String, Quantity> resources = new LinkedHashMap<>();
        resources.put("cpu", new Quantity(Integer.toString(shape.cpus())));
        resources.put("memory", new Quantity(shape.memory()));
        if (shape.gpus() > 0) resources.put("nvidia.com/gpu", new Quantity(Integer.toString(shape.gpus())));
        List<EnvVar> env = new ArrayList<>();
        TrainingEnvironment.of(spec, new JobDirectory(JobDirectory.CONTAINER_ROOT), host)
                .forEach((k, v) -> env.add(new EnvVar(k, v, null)));
        ArrayNode metrics = JSON.createArrayNode();
        for (MetricDefinition d : spec.metricDefinitions()) metrics.addObject().put("Name", d.name()).put("Regex", d.regex());
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(LAUNCH_TIME, launchTime.toString());
        annotations.put(MAX_RUNTIME, Long.toString(spec.maxRuntimeInSeconds()));
        annotations.put(METRIC_DEFINITIONS, metrics.toString());
        long grace = Math.max(0, stopGrace.toSeconds());
        return new JobBuilder()
                .withNewMetadata().withName(jobName(spec.trainingJobName(), host)).withNamespace(namespace)
                    .withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                    .withBackoffLimit(0)
                    .withCompletions(1).withParallelism(1)
                    .withActiveDeadlineSeconds(spec.maxRuntimeInSeconds() + grace + DEADLINE_BACKSTOP.toSeconds())
                    .withTtlSecondsAfterFinished((int) Math.min(Integer.MAX_VALUE, ttlSeconds))
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            // the upload's time comes on top: the program still gets SIGKILL after the grace
                            // period, from Vernier (it deletes the pod at once when the program outlives it)
                            .withTerminationGracePeriodSeconds(grace + (tasks.enabled() ? PodTaskContainers.UPLOAD_SECONDS : 0))
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withHostname(host.name())
                            .withSubdomain(host.distributed() ? serviceName(spec.trainingJobName()) : null)
                            .withDnsConfig(host.distributed() ? hostSearch(spec, namespace) : null)
                            .withInitContainers(tasks.enabled() ? PodTaskContainers.of(spec, tasks, host) : List.of())
                            .addNewContainer()
                                .withName(CONTAINER).withImage(spec.trainingImage()).withArgs("train")
                                .withEnv(env)
                                .withNewResources().withRequests(resources).withLimits(resources).endResources()
                                .withTerminationMessagePath(TERMINATION_MESSAGE_PATH)
                                .withTerminationMessagePolicy("File")
                                .addNewVolumeMount().withName("ml").withMountPath("/opt/ml").endVolumeMount()
                                // the kubelet makes a subPath's directory: the layout exists before the program starts
                                .addToVolumeMounts(LAYOUT.stream().map(d -> new VolumeMountBuilder().withName("ml")
                                        .withMountPath("/opt/ml/" + d).withSubPath(d).build()).toArray(VolumeMount[]::new))
                                .addNewVolumeMount().withName("config").withMountPath("/opt/ml/input/config")
                                    .withReadOnly(true).endVolumeMount()
                            .endContainer()
                            .addNewVolume().withName("ml").withNewEmptyDir()   // VolumeSizeInGB: the ML storage volume
                                .withSizeLimit(new Quantity(spec.resources().volumeSizeInGb() + "Gi")).endEmptyDir().endVolume()
                            .addNewVolume().withName("config").withNewConfigMap().withName(name)
                                .withItems(configItems(host)).endConfigMap().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** A host of several sees the job's files with its own resourceconfig.json; one host sees them all as they are. */
    private static List<KeyToPath> configItems(TrainingHost host) {
        if (!host.distributed()) return List.of();
        return List.of(file("hyperparameters.json", "hyperparameters.json"),
                file("inputdataconfig.json", "inputdataconfig.json"),
                file(resourceConfigKey(host), "resourceconfig.json"));
    }

    private static KeyToPath file(String key, String path) {
        return new KeyToPathBuilder().withKey(key).withPath(path).build();
    }

    /** The Service's domain searched first, so that the bare host names {@code algo-k} resolve. */
    private static PodDNSConfig hostSearch(TrainingJobSpec spec, String namespace) {
        return new PodDNSConfigBuilder().withSearches(serviceName(spec.trainingJobName()) + "." + namespace + ".svc."
                + CLUSTER_DOMAIN).build();
    }

    /**
     * EnableNetworkIsolation: no ingress and no egress for the job's pod. A job of several hosts
     * keeps what SageMaker keeps for it: traffic among its own pods, and DNS (port 53) so that the
     * hosts find each other by name.
     */
    public static NetworkPolicy networkPolicy(TrainingJobSpec spec, String namespace) {
        var builder = new NetworkPolicyBuilder()
                .withNewMetadata().withName(name(spec.trainingJobName())).withNamespace(namespace)
                    .withLabels(labels(spec)).endMetadata()
                .withNewSpec()
                    .withNewPodSelector().addToMatchLabels(TRAINING_JOB, spec.trainingJobName()).endPodSelector()
                    .withPolicyTypes("Ingress", "Egress")
                .endSpec();
        if (spec.resources().instanceCount() > 1) {
            var peers = new NetworkPolicyPeerBuilder().withNewPodSelector()
                    .addToMatchLabels(TRAINING_JOB, spec.trainingJobName()).endPodSelector().build();
            builder.editSpec()
                    .addNewIngress().withFrom(peers).endIngress()
                    .addNewEgress().withTo(peers).endEgress()
                    .addNewEgress().withPorts(dns("UDP"), dns("TCP")).endEgress()
                    .endSpec();
        }
        return builder.build();
    }

    private static NetworkPolicyPort dns(String protocol) {
        return new NetworkPolicyPortBuilder().withProtocol(protocol).withPort(new IntOrString(53)).build();
    }
}
