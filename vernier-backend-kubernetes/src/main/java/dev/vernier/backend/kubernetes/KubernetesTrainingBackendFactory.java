package dev.vernier.backend.kubernetes;

import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import java.util.Map;

/**
 * The {@code kubernetes} backend of the server's {@code backend} setting: each training job a
 * {@code batch/v1} Job. The cluster is found as kubectl finds it: in a pod, its service account;
 * outside, {@code KUBECONFIG} or {@code ~/.kube/config}.
 */
public final class KubernetesTrainingBackendFactory implements TrainingBackendFactory {
    public static final String NAME = "kubernetes";
    public static final SettingKey NAMESPACE = new SettingKey("kubernetes-namespace", "",
            "namespace of the training Jobs (empty: the service account's or kubeconfig's namespace, else default)");
    public static final SettingKey INSTANCE_TYPES = new SettingKey("kubernetes-instance-types", "",
            "InstanceType to cpus/memory[/gpus] entries added to the built-in table, e.g. ml.m5.large=2/8Gi,ml.g5.xlarge=4/16Gi/1");
    public static final SettingKey JOB_TTL_SECONDS = new SettingKey("kubernetes-job-ttl-seconds", "3600",
            "how long a finished training Job and its pod stay in the cluster (ttlSecondsAfterFinished)");

    public static final SettingKey IMAGE = new SettingKey("kubernetes-image", "",
            "Vernier's own image, which stages channels into training pods and uploads their artifacts "
            + "(empty: channels refused, no model artifacts)");
    public static final SettingKey S3_ENDPOINT = new SettingKey("kubernetes-s3-endpoint", "",
            "the S3 endpoint as training pods reach it (empty: AWS S3 of kubernetes-s3-region)");
    public static final SettingKey S3_REGION = new SettingKey("kubernetes-s3-region", "us-east-1",
            "the region training pods sign their S3 requests for");
    public static final SettingKey S3_SECRET = new SettingKey("kubernetes-s3-secret", "",
            "a Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the pods' S3 requests "
            + "(empty: the AWS SDK's default chain in the pod)");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "each training job a Kubernetes Job in a namespace of the cluster kubectl would use";
    }

    @Override
    public List<SettingKey> settingKeys() {
        return List.of(NAMESPACE, INSTANCE_TYPES, JOB_TTL_SECONDS, IMAGE, S3_ENDPOINT, S3_REGION, S3_SECRET);
    }

    @Override
    public void validate(Map<String, String> settings) {
        InstanceTypes.of(settings.getOrDefault(INSTANCE_TYPES.name(), INSTANCE_TYPES.defaultValue()));
        ttlSeconds(settings.getOrDefault(JOB_TTL_SECONDS.name(), JOB_TTL_SECONDS.defaultValue()));
        String ns = settings.getOrDefault(NAMESPACE.name(), NAMESPACE.defaultValue());
        if (ns != null && !ns.isEmpty() && !ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"))
            throw new IllegalArgumentException("kubernetes-namespace: '" + ns + "' is not a Kubernetes namespace name");
        String endpoint = settings.getOrDefault(S3_ENDPOINT.name(), S3_ENDPOINT.defaultValue());
        if (endpoint != null && !endpoint.isEmpty() && !endpoint.matches("https?://[^\\s/]+(/\\S*)?"))
            throw new IllegalArgumentException("kubernetes-s3-endpoint: '" + endpoint + "' is not an http:// or https:// URL");
        String secret = settings.getOrDefault(S3_SECRET.name(), S3_SECRET.defaultValue());
        if (secret != null && !secret.isEmpty() && !secret.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?"))
            throw new IllegalArgumentException("kubernetes-s3-secret: '" + secret + "' is not a Kubernetes Secret name");
    }

    static long ttlSeconds(String value) {
        try {
            long ttl = Long.parseLong(value.strip());
            if (ttl < 0 || ttl > Integer.MAX_VALUE) throw new NumberFormatException();
            return ttl;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kubernetes-job-ttl-seconds: '" + value + "' is not a number of seconds (0 or more)");
        }
    }

    @Override
    public TrainingBackend create(Context context) {
        return create(context, new KubernetesClientBuilder().build());
    }

    /** The backend on {@code client} (tests give a mock server's). */
    public TrainingBackend create(Context context, KubernetesClient client) {
        validate(context.settings());
        String ns = context.setting(NAMESPACE);
        if (ns == null || ns.isEmpty()) ns = client.getNamespace() == null ? "default" : client.getNamespace();
        return new KubernetesTrainingBackend(client, ns, InstanceTypes.of(context.setting(INSTANCE_TYPES)),
                ttlSeconds(context.setting(JOB_TTL_SECONDS)), context.stopGracePeriod(), context.clock(),
                context.dataDir(), context.objectStore(), new PodTaskSettings(context.setting(IMAGE),
                        context.setting(S3_ENDPOINT), context.setting(S3_REGION), context.setting(S3_SECRET)),
                context.logCapBytes());
    }
}
