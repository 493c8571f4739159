/**
 * The {@link dev.vernier.core.objectstore.ObjectStore} port over the S3 protocol:
 * {@link dev.vernier.objectstore.s3.S3ObjectStore} reads and writes any S3-compatible endpoint
 * through the AWS SDK for Java v2, and {@link dev.vernier.objectstore.s3.S3ProtocolServer} serves a
 * directory store over the S3 protocol (S3Proxy embedded) so that S3 tools can fill it.
 */
package dev.vernier.objectstore.s3;
