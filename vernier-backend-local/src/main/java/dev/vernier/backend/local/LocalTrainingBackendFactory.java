package dev.vernier.backend.local;

import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import java.util.List;
import java.util.Map;

/**
 * The {@code local} backend of the server's {@code backend} setting: each training job a process
 * on the server's machine, in {@code <data-dir>/jobs/<job>/}. Its own setting is {@code images}.
 */
public final class LocalTrainingBackendFactory implements TrainingBackendFactory {
    public static final String NAME = "local";
    public static final SettingKey IMAGES = new SettingKey("images", "",
            "TrainingImage names mapped to local programs: name=/path/to/program,other=/path/two");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "each training job a process on the server's machine";
    }

    @Override
    public List<SettingKey> settingKeys() {
        return List.of(IMAGES);
    }

    @Override
    public void validate(Map<String, String> settings) {
        ImagePrograms.parse(settings.getOrDefault(IMAGES.name(), IMAGES.defaultValue()));
    }

    @Override
    public TrainingBackend create(Context context) {
        return new LocalTrainingBackend(new LocalBackendSettings(context.dataDir().resolve("jobs"),
                ImagePrograms.parse(context.setting(IMAGES)), context.logCapBytes(),
                LocalBackendSettings.DEFAULT_LOG_TAIL_BYTES, context.stopGracePeriod(),
                LocalBackendSettings.DEFAULT_POLL_BUDGET_BYTES, context.clock()), context.objectStore());
    }
}
