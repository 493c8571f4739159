package dev.vernier.core.store;

import java.util.List;
import java.util.Optional;

/** One page of a listing and the token for the next one, if there is more. */
public record Page<T>(List<T> items, Optional<String> nextToken) {
    public Page {
        items = List.copyOf(items);
    }
}
