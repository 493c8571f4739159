package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ListTagsResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.Tag;

class TagsTest {
    @TempDir
    Path dir;
    TestServer server;
    SageMakerClient sm;
    String arn;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        sm = server.client();
        arn = sm.createHyperParameterTuningJob(Requests.minimalCreate("tagged").toBuilder()
                .tags(Tag.builder().key("team").value("vision").build(), Tag.builder().key("cost").value("1").build())
                .build()).hyperParameterTuningJobArn();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createTagsAreListedInOrderAndAddTagsAddsOrOverwrites() {
        assertThat(keys(sm.listTags(r -> r.resourceArn(arn)))).containsExactly("team=vision", "cost=1");
        List<Tag> answer = sm.addTags(r -> r.resourceArn(arn).tags(Tag.builder().key("cost").value("2").build(),
                Tag.builder().key("owner").value("ana").build())).tags();
        assertThat(answer).extracting(t -> t.key() + "=" + t.value()).containsExactly("team=vision", "cost=2", "owner=ana");
        assertThat(keys(sm.listTags(r -> r.resourceArn(arn)))).containsExactly("team=vision", "cost=2", "owner=ana");
    }

    @Test
    void deleteTagsRemovesOnlyTheNamedKeys() {
        sm.deleteTags(r -> r.resourceArn(arn).tagKeys("team", "not-there"));
        assertThat(keys(sm.listTags(r -> r.resourceArn(arn)))).containsExactly("cost=1");
    }

    @Test
    void listTagsReturnsAllFiftyTagsInOnePage() {
        List<Tag> many = new ArrayList<>();
        for (int i = 0; i < 48; i++) many.add(Tag.builder().key("k" + i).value("v").build());
        sm.addTags(r -> r.resourceArn(arn).tags(many));
        ListTagsResponse first = sm.listTags(r -> r.resourceArn(arn).maxResults(50));
        assertThat(first.tags()).hasSize(50);
        assertThat(first.nextToken()).isNull();
    }

    @Test
    void moreThanFiftyTagsAreRefusedAndNothingIsAdded() {
        List<Tag> many = new ArrayList<>();
        for (int i = 0; i < 49; i++) many.add(Tag.builder().key("k" + i).value("v").build());
        assertThatThrownBy(() -> sm.addTags(r -> r.resourceArn(arn).tags(many)))
                .isInstanceOf(SageMakerException.class).hasMessageContaining("50");
        assertThat(sm.listTags(r -> r.resourceArn(arn)).tags()).hasSize(2);
    }

    @Test
    void tagsOfUnknownResourcesAreAValidationError() {
        String other = arn.replace("tagged", "missing");
        assertThatThrownBy(() -> sm.addTags(r -> r.resourceArn(other).tags(Tag.builder().key("a").value("b").build())))
                .isInstanceOf(SageMakerException.class).hasMessageContaining(other)
                .satisfies(e -> assertThat(((SageMakerException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> sm.listTags(r -> r.resourceArn(other))).isInstanceOf(SageMakerException.class);
    }

    @Test
    void reservedAwsPrefixIsRefused() {
        assertThatThrownBy(() -> sm.addTags(r -> r.resourceArn(arn).tags(Tag.builder().key("aws:x").value("b").build())))
                .isInstanceOf(SageMakerException.class).hasMessageContaining("aws:");
    }

    private static List<String> keys(ListTagsResponse r) {
        return r.tags().stream().map(t -> t.key() + "=" + t.value()).toList();
    }
}
