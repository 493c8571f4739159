package dev.vernier.backend.local;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.UnsupportedImageException;
import dev.vernier.training.hosts.HostNamespaces;
import dev.vernier.training.image.ImagePrograms;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.TrainingEnvironment;
import dev.vernier.training.jobdir.TrainingHost;
import dev.vernier.training.script.ImagePatterns;
import dev.vernier.training.script.ScriptMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The local backend's programs: {@code program train}, or in script mode the entry point with the
 * Python that the {@code script-images} setting gives the job's framework image; in a network
 * namespace of its own when isolated.
 */
final class LocalPrograms implements JobCommands {
    private final ImagePrograms images;
    private final ImagePatterns scriptImages;
    private final ObjectStore objectStore;

    /** The local backend's reading of the {@code images} setting. */
    static ImagePrograms images(java.util.Map<String, String> mapped) {
        return new ImagePrograms(mapped, "local backend: use file:///absolute/path/to/program, or map the image to a "
                + "local program in the server settings", "local program");
    }

    LocalPrograms(ImagePrograms images, ImagePatterns scriptImages, ObjectStore objectStore) {
        this.images = images;
        this.scriptImages = scriptImages;
        this.objectStore = objectStore;
    }

    @Override
    public List<String> problems(TrainingJobSpec spec) {
        List<String> problems = new ArrayList<>();
        Optional<ScriptMode> script = ScriptMode.of(spec);
        if (script.isPresent()) {
            python(spec, script.get());
            problems.addAll(script.get().problems(objectStore));
        } else {
            images.resolve(spec.trainingImage());
        }
        if (spec.enableNetworkIsolation() && NetworkIsolation.detect().prefix == null)
            problems.add(NetworkIsolation.detect().problem);
        return problems;
    }

    @Override
    public Optional<java.nio.file.Path> localProgram(TrainingJobSpec spec) {
        if (ScriptMode.of(spec).isPresent()) return Optional.empty();
        return Optional.of(images.resolve(spec.trainingImage()));
    }

    /** The contract's environment, with the job directory's real paths. */
    @Override
    public Command command(TrainingJobSpec spec, JobDirectory dir, TrainingHost host) throws IOException {
        return command(spec, dir, dir, host);
    }

    /** Several hosts run as local processes too ({@link HostNamespaces}). */
    @Override
    public Optional<String> severalHostsProblem(TrainingJobSpec spec) {
        return Optional.empty();
    }

    @Override
    public Command command(TrainingJobSpec spec, JobDirectory dir, JobDirectory seenByProgram, TrainingHost host)
            throws IOException {
        List<String> program = new ArrayList<>();   // network isolation and the job user: the backend's prefix
        var environment = TrainingEnvironment.of(spec, seenByProgram, host);
        Optional<ScriptMode> script = ScriptMode.of(spec);
        if (script.isPresent()) {
            script.get().stage(dir, objectStore);
            program.addAll(script.get().command(seenByProgram.root().resolve(ScriptMode.CODE_DIR), python(spec, script.get())));
            return new Command(program, script.get().environment(environment, spec));
        }
        program.add(images.resolve(spec.trainingImage()).toString());
        program.add("train");
        return new Command(program, environment);
    }

    /** The interpreter of a script-mode job: a Python for .py entry points, none needed for others. */
    private String python(TrainingJobSpec spec, ScriptMode script) {
        Optional<String> python = scriptImages.match(spec.trainingImage());
        if (python.isEmpty() && script.isPython())
            throw new UnsupportedImageException("TrainingImage '" + spec.trainingImage() + "' runs the script-mode entry "
                    + "point " + script.program() + ", but the script-images setting gives it no local Python"
                    + (scriptImages.isEmpty() ? "" : " (mapped now: " + scriptImages + ")"));
        return python.orElse("python3");
    }
}
