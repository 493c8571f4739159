package dev.vernier.core.store;

import java.util.Objects;

public record Tag(String key, String value) {
    public Tag {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
