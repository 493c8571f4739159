/**
 * What a training program sees: its directory laid out like a SageMaker container's /opt/ml
 * ({@link dev.vernier.training.jobdir.JobDirectory}), the files of {@code input/config}
 * ({@link dev.vernier.training.jobdir.ConfigFiles}), its channels
 * ({@link dev.vernier.training.jobdir.ChannelStaging}) and its environment
 * ({@link dev.vernier.training.jobdir.TrainingEnvironment}).
 *
 * <p>Decisions, in one place:
 * <ul>
 *   <li><b>Where the program sees its directory.</b> The layout is one class; a
 *       {@code JobDirectory} on another root describes the program's view (a container's
 *       /opt/ml), so every backend builds the same environment for its own paths.</li>
 *   <li><b>Hosts.</b> Described by {@link dev.vernier.training.jobdir.TrainingHost}: the host's
 *       name among {@code algo-1} ... {@code algo-N} ({@code TrainingHost.cluster}), its processors
 *       and GPUs, the network interface the hosts share. A job of N hosts gets N directories, each
 *       created for its host: its own resourceconfig.json and toolkit variables, its shard of each
 *       ShardedByS3Key channel. Backends that run one instance per job use {@code algo-1}.</li>
 *   <li><b>Environment.</b> SageMaker's training toolkit variables, {@code TRAINING_JOB_NAME} and
 *       {@code TRAINING_JOB_ARN}, then the definition's Environment, which wins. Names are upper-cased
 *       as given, so they need not be shell identifiers ({@code SM_HP_LEARNING-RATE}). What else
 *       the program inherits is the backend's decision.</li>
 *   <li><b>Channels.</b> Copied (not linked: the program cannot change the stored data) from the
 *       object store with S3Prefix semantics, in File mode; FastFile is staged the same way. Pipe
 *       mode, manifests, Gzip and RecordIO are refused
 *       ({@link dev.vernier.training.jobdir.ChannelStaging#problems}).</li>
 *   <li><b>The server's files</b> are written beside and renamed
 *       ({@link dev.vernier.training.jobdir.StateFiles}); the config files are plain writes, since
 *       a launch that crashes before its program starts is redone from scratch.</li>
 * </ul>
 */
package dev.vernier.training.jobdir;
