package dev.vernier.server.tuning;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.server.api.ApiException;
import dev.vernier.server.json.Json;
import dev.vernier.server.store.Store;
import dev.vernier.server.store.Tag;
import java.util.List;

/** AddTags, ListTags and DeleteTags for the resources this server owns. */
public final class TagService {
    /** SageMaker's limit of tags per resource. */
    static final int MAX_TAGS = 50;

    private final Store store;
    private final ResourceNames names;

    public TagService(Store store, ResourceNames names) {
        this.store = store;
        this.names = names;
    }

    public ObjectNode add(ObjectNode request) {
        String arn = existingResource(request.path("ResourceArn").asText());
        List<Tag> tags = Tags.from(request.path("Tags"));
        for (Tag t : tags)
            if (t.key().toLowerCase(java.util.Locale.ROOT).startsWith("aws:"))
                throw ApiException.validation("Tag keys starting with 'aws:' are reserved: " + t.key());
        if (!store.addTags(arn, tags, MAX_TAGS))
            throw ApiException.validation("Resource " + arn + " would have more than " + MAX_TAGS + " tags.");
        ObjectNode response = Json.object();
        response.set("Tags", Tags.toJson(store.tags(arn)));
        return response;
    }

    public ObjectNode list(ObjectNode request) {
        String arn = existingResource(request.path("ResourceArn").asText());
        List<Tag> tags = store.tags(arn);
        int max = request.path("MaxResults").asInt(MAX_TAGS);
        int from = 0;
        if (request.hasNonNull("NextToken")) {
            try {
                from = Integer.parseInt(request.get("NextToken").asText());
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0 || from > tags.size()) throw ApiException.validation("The NextToken is not valid.");
        }
        int to = Math.min(tags.size(), from + max);
        ObjectNode response = Json.object();
        ArrayNode page = Tags.toJson(tags.subList(from, to));
        response.set("Tags", page);
        if (to < tags.size()) response.put("NextToken", Integer.toString(to));
        return response;
    }

    public ObjectNode delete(ObjectNode request) {
        String arn = existingResource(request.path("ResourceArn").asText());
        store.deleteTags(arn, TuningJobService.keys(request.path("TagKeys")));
        return Json.object();
    }

    private String existingResource(String arn) {
        return names.tuningJobKey(arn).flatMap(store::tuningJob).map(TuningJobRecord::arn)
                .orElseThrow(() -> ApiException.validation("Resource " + arn + " does not exist or is not a resource of this server."));
    }
}
