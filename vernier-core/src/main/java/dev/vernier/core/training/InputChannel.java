package dev.vernier.core.training;

import java.util.Objects;

/**
 * One InputDataConfig channel with an S3DataSource, in SageMaker's spellings. {@code inputMode}
 * null means the algorithm's TrainingInputMode; the other optional members take SageMaker's
 * defaults when null.
 */
public record InputChannel(
        String name,
        String s3Uri,
        String s3DataType,              // S3Prefix (default), ManifestFile, AugmentedManifestFile
        String s3DataDistributionType,  // FullyReplicated (default), ShardedByS3Key
        String contentType,
        String compressionType,         // None (default), Gzip
        String recordWrapperType,       // None (default), RecordIO
        String inputMode) {             // File, Pipe, FastFile, or null

    public InputChannel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(s3Uri, "s3Uri");
        if (s3DataType == null) s3DataType = "S3Prefix";
        if (s3DataDistributionType == null) s3DataDistributionType = "FullyReplicated";
        if (compressionType == null) compressionType = "None";
        if (recordWrapperType == null) recordWrapperType = "None";
    }

    /** A File-mode S3Prefix channel with SageMaker's defaults. */
    public static InputChannel of(String name, String s3Uri) {
        return new InputChannel(name, s3Uri, null, null, null, null, null, null);
    }
}
