package dev.vernier.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vernier.core.metrics.MetricDefinition;
import dev.vernier.core.training.InputChannel;
import dev.vernier.core.training.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The objects of a job of several hosts: one Job per host named and host-named algo-k, and their headless Service. */
class MultiHostJobSpecsTest {
    private static final InstanceTypes.Shape SHAPE = new InstanceTypes.Shape(4, "16Gi", 1);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static TrainingJobSpec spec(String name, int instanceCount) {
        return spec(name, instanceCount, false);
    }

    private static TrainingJobSpec spec(String name, int instanceCount, boolean isolated) {
        return new TrainingJobSpec(name, "arn:aws:sagemaker:us-east-1:000000000000:training-job/" + name, "tune-1",
                "registry.example:5000/team/xgb:1.7", "File", Map.of("eta", "0.3"), Map.of("MY_VARIABLE", "v"),
                List.of(new MetricDefinition("train:loss", "train_loss=([0-9.]+)")), List.of(), "s3://models/out",
                new TrainingJobSpec.Resources("ml.g5.xlarge", instanceCount, 10), 3600, isolated);
    }

    private static List<Job> jobs(TrainingJobSpec spec) {
        return JobSpecs.jobs(spec, "training", SHAPE, Duration.ofSeconds(7), 600, T0, PodTaskSettings.NONE);
    }

    @Test
    void each_host_has_a_job_of_its_own_named_and_host_named_algo_k_in_the_jobs_headless_service() {
        TrainingJobSpec spec = spec("7-Dist", 2);
        String name = JobSpecs.name("7-Dist");
        String service = "hosts-" + name;

        List<Job> jobs = jobs(spec);

        assertThat(jobs).extracting(j -> j.getMetadata().getName()).containsExactly(name + "-algo-1", name + "-algo-2");
        assertThat(jobs).allSatisfy(j -> assertThat(j.getMetadata().getName()).hasSizeLessThanOrEqualTo(63));
        for (int k = 1; k <= 2; k++) {
            Job job = jobs.get(k - 1);
            String host = "algo-" + k;
            Map<String, String> labels = Map.of("app.kubernetes.io/managed-by", "vernier",
                    "vernier.dev/training-job", "7-Dist", "vernier.dev/tuning-job", "tune-1", "vernier.dev/host", host);
            assertThat(job.getMetadata().getNamespace()).isEqualTo("training");
            assertThat(job.getMetadata().getLabels()).isEqualTo(labels);
            assertThat(job.getMetadata().getAnnotations()).containsEntry("vernier.dev/launch-time", T0.toString());
            assertThat(job.getSpec().getCompletions()).isOne();
            assertThat(job.getSpec().getParallelism()).isOne();
            assertThat(job.getSpec().getBackoffLimit()).isZero();
            assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(labels);

            PodSpec pod = job.getSpec().getTemplate().getSpec();
            assertThat(pod.getHostname()).isEqualTo(host);
            assertThat(pod.getSubdomain()).isEqualTo(service);
            assertThat(pod.getDnsConfig().getSearches()).containsExactly(service + ".training.svc.cluster.local");
            assertThat(pod.getDnsConfig().getNameservers()).isEmpty();
            assertThat(pod.getDnsPolicy()).isNull();   // ClusterFirst: the search domain is added to the cluster's own
            assertThat(pod.getVolumes().get(1).getConfigMap().getName()).isEqualTo(name);   // one ConfigMap for all hosts
            assertThat(pod.getVolumes().get(1).getConfigMap().getItems())
                    .extracting(KeyToPath::getKey, KeyToPath::getPath)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("hyperparameters.json", "hyperparameters.json"),
                            org.assertj.core.groups.Tuple.tuple("inputdataconfig.json", "inputdataconfig.json"),
                            org.assertj.core.groups.Tuple.tuple("resourceconfig-" + host + ".json", "resourceconfig.json"));
            Map<String, String> env = pod.getContainers().getFirst().getEnv().stream()
                    .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
            assertThat(env).containsEntry("SM_CURRENT_HOST", host)
                    .containsEntry("SM_HOSTS", "[\"algo-1\",\"algo-2\"]")
                    .containsEntry("SM_NUM_CPUS", "4").containsEntry("SM_NUM_GPUS", "1")
                    .containsEntry("MY_VARIABLE", "v");
            assertThat(env.get("SM_TRAINING_ENV")).contains("\"current_host\":\"" + host + "\"",
                    "\"master_hostname\":\"algo-1\"");
        }

        Service hosts = JobSpecs.hostService(spec, "training");
        assertThat(hosts.getMetadata().getName()).isEqualTo(service).hasSizeLessThanOrEqualTo(63).matches("[a-z][-a-z0-9]*");
        assertThat(hosts.getMetadata().getNamespace()).isEqualTo("training");
        assertThat(hosts.getMetadata().getLabels()).isEqualTo(Map.of("app.kubernetes.io/managed-by", "vernier",
                "vernier.dev/training-job", "7-Dist", "vernier.dev/tuning-job", "tune-1"));
        assertThat(hosts.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(hosts.getSpec().getSelector()).isEqualTo(Map.of("vernier.dev/training-job", "7-Dist"));
        assertThat(hosts.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(hosts.getSpec().getPorts()).isEmpty();
    }

    @Test
    void the_configmap_has_each_hosts_resourceconfig_and_one_host_keeps_the_plain_layout() {
        ConfigMap two = JobSpecs.configMap(spec("two", 2), "training", SHAPE);
        assertThat(two.getData()).containsOnlyKeys("hyperparameters.json", "inputdataconfig.json",
                "resourceconfig-algo-1.json", "resourceconfig-algo-2.json");
        assertThat(two.getData().get("resourceconfig-algo-1.json"))
                .contains("\"current_host\":\"algo-1\"", "\"hosts\":[\"algo-1\",\"algo-2\"]");
        assertThat(two.getData().get("resourceconfig-algo-2.json"))
                .contains("\"current_host\":\"algo-2\"", "\"hosts\":[\"algo-1\",\"algo-2\"]");

        TrainingJobSpec single = spec("one", 1);
        assertThat(JobSpecs.configMap(single, "training", SHAPE).getData())
                .containsOnlyKeys("hyperparameters.json", "inputdataconfig.json", "resourceconfig.json");
        List<Job> jobs = jobs(single);
        assertThat(jobs).hasSize(1);
        Job job = jobs.getFirst();
        assertThat(job.getMetadata().getName()).isEqualTo(JobSpecs.name("one"));
        assertThat(job.getMetadata().getLabels()).doesNotContainKey("vernier.dev/host");
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getHostname()).isEqualTo("algo-1");
        assertThat(pod.getSubdomain()).isNull();
        assertThat(pod.getDnsConfig()).isNull();
        assertThat(pod.getVolumes().get(1).getConfigMap().getItems()).isEmpty();
    }

    @Test
    void an_isolated_job_of_several_hosts_keeps_traffic_among_its_pods_and_dns_and_nothing_else() {
        NetworkPolicy policy = JobSpecs.networkPolicy(spec("iso", 2, true), "training");
        Map<String, String> job = Map.of("vernier.dev/training-job", "iso");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(job);
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getFrom()).singleElement().satisfies(p -> {
                assertThat(p.getPodSelector().getMatchLabels()).isEqualTo(job);
                assertThat(p.getNamespaceSelector()).isNull();
                assertThat(p.getIpBlock()).isNull();
            });
            assertThat(rule.getPorts()).isEmpty();
        });
        assertThat(policy.getSpec().getEgress()).hasSize(2);
        assertThat(policy.getSpec().getEgress().get(0).getTo()).singleElement()
                .satisfies(p -> assertThat(p.getPodSelector().getMatchLabels()).isEqualTo(job));
        assertThat(policy.getSpec().getEgress().get(0).getPorts()).isEmpty();
        assertThat(policy.getSpec().getEgress().get(1).getTo()).isEmpty();
        assertThat(policy.getSpec().getEgress().get(1).getPorts())
                .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal()).containsExactly("UDP/53", "TCP/53");

        NetworkPolicy one = JobSpecs.networkPolicy(spec("iso-1", 1, true), "training");
        assertThat(one.getSpec().getIngress()).isEmpty();
        assertThat(one.getSpec().getEgress()).isEmpty();
    }

    @Test
    void each_hosts_upload_stores_to_a_key_of_its_own_and_one_host_to_the_jobs_output() {
        var tasks = new PodTaskSettings("registry.example/vernier:0.1.0", "", "us-east-1", "");
        List<Job> jobs = JobSpecs.jobs(spec("Up", 2), "training", SHAPE, Duration.ofSeconds(7), 600, T0, tasks);
        for (int k = 1; k <= 2; k++) {
            var upload = jobs.get(k - 1).getSpec().getTemplate().getSpec().getInitContainers().getLast();
            assertThat(upload.getName()).isEqualTo("upload");
            assertThat(upload.getArgs()).containsExactly("upload-output", "s3://models/out/Up/host-output/algo-" + k + "/");
        }
        var one = JobSpecs.job(spec("Up", 1), "training", SHAPE, Duration.ofSeconds(7), 600, T0, tasks);
        assertThat(one.getSpec().getTemplate().getSpec().getInitContainers().getLast().getArgs())
                .containsExactly("upload-output", "s3://models/out/Up/output/");
    }

    @Test
    void each_hosts_stage_container_is_told_its_host_and_which_channels_are_sharded() {
        TrainingJobSpec base = spec("staged", 2);
        TrainingJobSpec spec = new TrainingJobSpec(base.trainingJobName(), base.trainingJobArn(), base.tuningJobName(),
                base.trainingImage(), base.trainingInputMode(), base.hyperParameters(), base.environment(),
                base.metricDefinitions(), List.of(InputChannel.of("val", "s3://data/val/"),
                        new InputChannel("train", "s3://data/train/", null, "ShardedByS3Key", null, null, null, null)),
                base.s3OutputPath(), base.resources(), base.maxRuntimeInSeconds(), false);
        var tasks = new PodTaskSettings("registry.example/vernier:0.1.0", "", "us-east-1", "");
        List<Job> jobs = JobSpecs.jobs(spec, "training", SHAPE, Duration.ofSeconds(7), 600, T0, tasks);
        for (int k = 1; k <= 2; k++) {
            var stage = jobs.get(k - 1).getSpec().getTemplate().getSpec().getInitContainers().getFirst();
            assertThat(stage.getName()).isEqualTo("stage");
            assertThat(stage.getArgs()).containsExactly("stage-input", "--host", "algo-" + k + "/2",
                    "val=s3://data/val/", "sharded:train=s3://data/train/");
        }
        TrainingJobSpec one = new TrainingJobSpec("staged-1", spec.trainingJobArn(), null, spec.trainingImage(),
                "File", Map.of(), Map.of(), List.of(), spec.inputChannels(), spec.s3OutputPath(),
                new TrainingJobSpec.Resources("ml.g5.xlarge", 1, 10), 3600, false);
        assertThat(JobSpecs.job(one, "training", SHAPE, Duration.ofSeconds(7), 600, T0, tasks).getSpec().getTemplate()
                .getSpec().getInitContainers().getFirst().getArgs())
                .containsExactly("stage-input", "val=s3://data/val/", "train=s3://data/train/");
    }
}
