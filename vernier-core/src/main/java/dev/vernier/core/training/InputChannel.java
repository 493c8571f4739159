package dev.vernier.core.training;

import java.util.List;
import java.util.Objects;

/**
 * One InputDataConfig channel with an S3DataSource, in SageMaker's spellings. {@code inputMode}
 * null means the algorithm's TrainingInputMode; the other optional members take SageMaker's
 * defaults when null. {@code attributeNames} are S3DataSource.AttributeNames (AugmentedManifestFile);
 * {@code shuffleSeed} is ShuffleConfig.Seed, null without a ShuffleConfig.
 */
public record InputChannel(
        String name,
        String s3Uri,
        String s3DataType,              // S3Prefix (default), ManifestFile, AugmentedManifestFile
        String s3DataDistributionType,  // FullyReplicated (default), ShardedByS3Key
        String contentType,
        String compressionType,         // None (default), Gzip
        String recordWrapperType,       // None (default), RecordIO
        String inputMode,               // File, Pipe, FastFile, or null
        List<String> attributeNames,
        Long shuffleSeed) {

    /** A channel without AttributeNames and ShuffleConfig. */
    public InputChannel(String name, String s3Uri, String s3DataType, String s3DataDistributionType, String contentType,
                        String compressionType, String recordWrapperType, String inputMode) {
        this(name, s3Uri, s3DataType, s3DataDistributionType, contentType, compressionType, recordWrapperType, inputMode,
                List.of(), null);
    }

    public InputChannel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(s3Uri, "s3Uri");
        if (s3DataType == null) s3DataType = "S3Prefix";
        if (s3DataDistributionType == null) s3DataDistributionType = "FullyReplicated";
        if (compressionType == null) compressionType = "None";
        if (recordWrapperType == null) recordWrapperType = "None";
        attributeNames = List.copyOf(attributeNames == null ? List.of() : attributeNames);
    }

    /** The mode this channel is read in: its own InputMode, else the job's TrainingInputMode. */
    public String modeIn(TrainingJobSpec spec) {
        return inputMode != null ? inputMode : spec.trainingInputMode();
    }

    /** A File-mode S3Prefix channel with SageMaker's defaults. */
    public static InputChannel of(String name, String s3Uri) {
        return new InputChannel(name, s3Uri, null, null, null, null, null, null);
    }
}
