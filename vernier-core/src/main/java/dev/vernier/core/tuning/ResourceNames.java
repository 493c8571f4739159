package dev.vernier.core.tuning;

import java.util.Locale;
import java.util.Optional;

/** Owns every resource name and ARN format, so that naming lives in one file. */
public final class ResourceNames {
    private static final String TUNING_JOB = "hyper-parameter-tuning-job/";
    private static final String TRAINING_JOB = "training-job/";

    private final String prefix;

    public ResourceNames(String region, String accountId) {
        this.prefix = "arn:aws:sagemaker:" + region + ":" + accountId + ":";
    }

    public String tuningJobArn(String name) {
        return prefix + TUNING_JOB + name.toLowerCase(Locale.ROOT);
    }

    public String trainingJobArn(String name) {
        return prefix + TRAINING_JOB + name.toLowerCase(Locale.ROOT);
    }

    /** The lower-cased tuning job name an ARN of this server refers to, if it is one. */
    public Optional<String> tuningJobKey(String arn) {
        return arn.startsWith(prefix + TUNING_JOB) ? Optional.of(arn.substring((prefix + TUNING_JOB).length()))
                : Optional.empty();
    }

    public Optional<String> trainingJobKey(String arn) {
        return arn.startsWith(prefix + TRAINING_JOB) ? Optional.of(arn.substring((prefix + TRAINING_JOB).length()))
                : Optional.empty();
    }

    /** Names are unique regardless of case, as their ARNs are. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
