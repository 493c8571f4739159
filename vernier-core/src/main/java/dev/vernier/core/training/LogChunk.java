package dev.vernier.core.training;

/** Bytes of a job's log from some offset; {@code nextOffset} is where to continue reading. */
public record LogChunk(byte[] bytes, long nextOffset) {}
