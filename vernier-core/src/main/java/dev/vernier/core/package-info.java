/** Vernier's domain. Depends on the JDK and small numeric libraries only. */
package dev.vernier.core;
