package dev.vernier.service;

import dev.vernier.core.store.Store;
import dev.vernier.core.store.Tag;
import dev.vernier.core.tuning.ResourceNames;
import dev.vernier.core.tuning.TuningJob;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** AddTags, ListTags and DeleteTags for the resources this server owns. */
public final class TagService {
    /** SageMaker's limit of tags per resource. */
    public static final int MAX_TAGS = 50;

    private final Store store;
    private final ResourceNames names;

    public TagService(Store store, ResourceNames names) {
        this.store = store;
        this.names = names;
    }

    /** Adds or overwrites tags; answers the resource's tags afterwards. */
    public List<Tag> add(String resourceArn, List<Tag> tags) {
        String arn = existingResource(resourceArn);
        for (Tag t : tags)
            if (t.key().toLowerCase(Locale.ROOT).startsWith("aws:"))
                throw ServiceException.invalid("Tag keys starting with 'aws:' are reserved: " + t.key());
        if (!store.addTags(arn, tags, MAX_TAGS))
            throw ServiceException.invalid("Resource " + arn + " would have more than " + MAX_TAGS + " tags.");
        return store.tags(arn);
    }

    /** A page of tags: {@code nextToken} is the position to start from, as an earlier page answered it. */
    public TagPage list(String resourceArn, int maxResults, Optional<String> nextToken) {
        String arn = existingResource(resourceArn);
        List<Tag> tags = store.tags(arn);
        int from = 0;
        if (nextToken.isPresent()) {
            try {
                from = Integer.parseInt(nextToken.get());
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0 || from > tags.size()) throw ServiceException.invalid("The NextToken is not valid.");
        }
        int to = Math.min(tags.size(), from + maxResults);
        return new TagPage(tags.subList(from, to), to < tags.size() ? Optional.of(Integer.toString(to)) : Optional.empty());
    }

    public void delete(String resourceArn, List<String> keys) {
        store.deleteTags(existingResource(resourceArn), keys);
    }

    private String existingResource(String arn) {
        return names.tuningJobKey(arn).flatMap(store::tuningJob).map(TuningJob::arn)
                .orElseThrow(() -> ServiceException.invalid("Resource " + arn + " does not exist or is not a resource of this server."));
    }
}
