package dev.vernier.testkit.training;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.UnsupportedImageException;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import org.junit.jupiter.api.Test;

/**
 * A job the backend cannot run is refused before anything runs, by {@code check} (at Create)
 * and by {@code launch}: {@link UnsupportedTrainingFeatureException} naming what is unsupported
 * ({@link #unsupportedFeatures()}), {@link UnsupportedImageException} for an image.
 */
public interface RefusalContract extends BackendUnderTest {
    @Test
    default void check_accepts_a_job_it_can_run_and_check_and_launch_refuse_each_feature_it_cannot() {
        TrainingBackend backend = newBackend();
        backend.check(job("completes.sh").build());

        unsupportedFeatures().forEach((feature, withFeature) -> {
            TrainingJobSpec spec = withFeature.apply(job("completes.sh")).build();
            assertThatThrownBy(() -> backend.check(spec)).as(feature)
                    .isInstanceOf(UnsupportedTrainingFeatureException.class).hasMessageContaining(feature);
            assertThatThrownBy(() -> backend.launch(spec)).as(feature)
                    .isInstanceOf(UnsupportedTrainingFeatureException.class).hasMessageContaining(feature);
        });
    }

    @Test
    default void an_image_the_backend_cannot_run_is_refused_as_such() {
        TrainingBackend backend = newBackend();
        TrainingJobSpec spec = job("completes.sh").image(unrunnableImage()).build();

        assertThatThrownBy(() -> backend.check(spec)).isInstanceOf(UnsupportedImageException.class);
        assertThatThrownBy(() -> backend.launch(spec)).isInstanceOf(UnsupportedImageException.class);
    }
}
