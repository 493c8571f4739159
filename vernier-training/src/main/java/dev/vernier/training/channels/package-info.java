/**
 * How a channel's data reaches the program beyond a plain S3Prefix copy: manifests
 * ({@link dev.vernier.training.channels.Manifest}, {@link dev.vernier.training.channels.AugmentedManifest})
 * and Pipe mode's FIFOs fed epoch by epoch ({@link dev.vernier.training.channels.PipeFeeder}, in the job's own
 * feeding process {@link dev.vernier.training.channels.PipeFeeding}, with
 * {@link dev.vernier.training.channels.RecordIo} records).
 */
package dev.vernier.training.channels;
