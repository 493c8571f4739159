package dev.vernier.service;

import dev.vernier.core.store.Tag;
import java.util.List;
import java.util.Optional;

/** A page of a resource's tags and the token of the next page, if any. */
public record TagPage(List<Tag> tags, Optional<String> nextToken) {
    public TagPage {
        tags = List.copyOf(tags);
    }
}
