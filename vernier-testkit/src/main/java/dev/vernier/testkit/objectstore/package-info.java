/**
 * {@link dev.vernier.testkit.objectstore.ObjectStoreContract}: the suite every
 * {@link dev.vernier.core.objectstore.ObjectStore} runs, by extending it in its own module's tests.
 */
package dev.vernier.testkit.objectstore;
