package dev.vernier.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceTypesTest {
    @Test
    void the_defaults_know_common_types_and_the_setting_adds_and_overrides() {
        InstanceTypes t = InstanceTypes.parse("ml.m5.large=1:1024:0, my.gpu.box=16:65536:2");
        assertThat(t.of("ml.m5.large")).contains(new InstanceTypes.Resources(1, 1024, 0));
        assertThat(t.of("my.gpu.box")).contains(new InstanceTypes.Resources(16, 65536, 2));
        assertThat(t.of("ml.p3.2xlarge")).contains(new InstanceTypes.Resources(8, 61 * 1024, 1));
        assertThat(t.of("ml.c5.xlarge")).contains(new InstanceTypes.Resources(4, 8 * 1024, 0));
        assertThat(t.of("ml.nope")).isEmpty();
    }

    @Test
    void a_malformed_entry_is_refused_naming_the_setting_and_the_entry() {
        for (String bad : List.of("ml.m5.large", "ml.m5.large=2:8", "=2:8:0", "ml.m5.large=two:8:0", "x=0:8:0", "x=1:-1:0"))
            assertThatThrownBy(() -> InstanceTypes.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("slurm-instance-types");
    }

    @Test
    void batch_script_words_are_quoted_for_the_shell() {
        assertThat(BatchScript.quote("a b")).isEqualTo("'a b'");
        assertThat(BatchScript.quote("it's $HOME")).isEqualTo("'it'\\''s $HOME'");
    }
}
