/**
 * Early-stopping rules: whether a running training job should stop, from its objective series
 * and those of finished jobs. The step index is the position of an objective data point.
 */
package dev.vernier.core.earlystopping;
