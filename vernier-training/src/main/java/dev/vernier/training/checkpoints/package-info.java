/**
 * CheckpointConfig: a job's checkpoint directory restored from the object store before its program
 * starts and copied back while it runs and when it ends ({@link dev.vernier.training.checkpoints.CheckpointSync}).
 */
package dev.vernier.training.checkpoints;
