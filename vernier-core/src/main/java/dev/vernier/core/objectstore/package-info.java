/**
 * Where channels are read from and artifacts written to: {@code s3://bucket/key} and
 * {@code file:///abs/path} locations behind the {@link dev.vernier.core.objectstore.ObjectStore}
 * seam. {@link dev.vernier.training.objectstore.DirectoryObjectStore} is the default: one folder
 * per bucket under a root directory.
 */
package dev.vernier.core.objectstore;
