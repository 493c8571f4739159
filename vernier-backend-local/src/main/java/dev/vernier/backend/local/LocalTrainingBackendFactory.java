package dev.vernier.backend.local;

import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.training.image.ImagePrograms;
import dev.vernier.training.script.ImagePatterns;
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
    public static final SettingKey RUN_AS = new SettingKey("local-run-as", LocalBackendSettings.DEFAULT_RUN_AS,
            "the user training programs run as when the server runs as root (no capabilities either way); "
                    + "'server' keeps root's uid");
    public static final SettingKey PASS_ENV = new SettingKey("local-pass-env", "",
            "names of the server's environment variables that training programs also get: NAME,OTHER "
                    + "(they get PATH, HOME, the locale, TZ and SageMaker's variables; nothing else of the server's)");

    public static final SettingKey SCRIPT_IMAGES = new SettingKey("script-images", JobCommands.DEFAULT_SCRIPT_IMAGES,
            "script mode (sagemaker_program): TrainingImage patterns, * matching any text, and the local Python "
                    + "their .py entry points run with: *pytorch*=python3,*sklearn*=/opt/venv/bin/python,...");

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
        return List.of(IMAGES, SCRIPT_IMAGES, RUN_AS, PASS_ENV);
    }

    @Override
    public void validate(Map<String, String> settings) {
        ImagePrograms.parse(IMAGES.name(), settings.getOrDefault(IMAGES.name(), IMAGES.defaultValue()));
        ImagePatterns.parse(SCRIPT_IMAGES.name(), settings.getOrDefault(SCRIPT_IMAGES.name(), SCRIPT_IMAGES.defaultValue()));
        ProgramEnvironment.parse(settings.getOrDefault(PASS_ENV.name(), PASS_ENV.defaultValue()));
        String runAs = settings.getOrDefault(RUN_AS.name(), RUN_AS.defaultValue()).strip();
        if (runAs.isEmpty()) throw new IllegalArgumentException("local-run-as must name a user, or be 'server'");
        if (JobUser.serverUid() == 0 && !runAs.equals(LocalBackendSettings.SERVER_USER)) JobUser.passwd(runAs);
    }

    @Override
    public TrainingBackend create(Context context) {
        var images = ImagePrograms.parse(IMAGES.name(), context.setting(IMAGES));
        return new LocalTrainingBackend(new LocalBackendSettings(context.dataDir().resolve("jobs"), images,
                context.logCapBytes(), LocalBackendSettings.DEFAULT_LOG_TAIL_BYTES, context.stopGracePeriod(),
                LocalBackendSettings.DEFAULT_POLL_BUDGET_BYTES, context.clock(),
                ProgramEnvironment.parse(context.setting(PASS_ENV)), context.setting(RUN_AS).strip()),
                context.objectStore(),
                JobCommands.localPrograms(images, ImagePatterns.parse(SCRIPT_IMAGES.name(), context.setting(SCRIPT_IMAGES)),
                        context.objectStore()));
    }
}
