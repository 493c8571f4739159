package dev.vernier.training.script;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.training.TrainingJobSpec;
import dev.vernier.core.training.UnsupportedTrainingFeatureException;
import dev.vernier.training.artifacts.Unpack;
import dev.vernier.training.jobdir.ConfigFiles;
import dev.vernier.training.jobdir.JobDirectory;
import dev.vernier.training.jobdir.StateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A job in script mode: its hyperparameters name an entry point ({@code sagemaker_program}) in a
 * source directory ({@code sagemaker_submit_directory}: a {@code sourcedir.tar.gz}, or a directory,
 * at an {@code s3://} or {@code file://} location), as the SageMaker Python SDK's framework
 * estimators send them. Values are decoded as the training toolkit decodes them (JSON where they
 * parse: {@code "\"train.py\""} is {@code train.py}, {@code "10"} is 10); the {@code sagemaker_*}
 * ones and {@code _tuning_objective_metric} are the toolkit's, the rest are the user's, passed as
 * {@code --name value} arguments, sorted by name.
 */
public final class ScriptMode {
    public static final String PROGRAM = "sagemaker_program";
    public static final String SUBMIT_DIRECTORY = "sagemaker_submit_directory";
    /** Where the source directory is unpacked, relative to the job directory (/opt/ml/code). */
    public static final String CODE_DIR = "code";
    /** The toolkit's own hyperparameters besides those starting with {@code sagemaker_}. */
    private static final Set<String> TOOLKIT = Set.of(PROGRAM, SUBMIT_DIRECTORY, "sagemaker_enable_cloudwatch_metrics",
            "sagemaker_region", "sagemaker_container_log_level", "sagemaker_job_name", "default_user_module_name",
            "_tuning_objective_metric", "sagemaker_s3_output");
    /** Python's json.loads refuses trailing text ("10 epochs" stays text); Jackson must be told to. */
    private static final ObjectReader DECODER = StateFiles.JSON.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern SAFE_PROGRAM = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    private final String program;
    private final String submitDirectory;
    private final TreeMap<String, JsonNode> user;
    private final TreeMap<String, JsonNode> toolkit;

    private ScriptMode(String program, String submitDirectory, TreeMap<String, JsonNode> user,
                       TreeMap<String, JsonNode> toolkit) {
        this.program = program;
        this.submitDirectory = submitDirectory;
        this.user = user;
        this.toolkit = toolkit;
    }

    /** The job's script mode, when its hyperparameters name a {@code sagemaker_program}. */
    public static Optional<ScriptMode> of(TrainingJobSpec spec) {
        if (!spec.hyperParameters().containsKey(PROGRAM)) return Optional.empty();
        TreeMap<String, JsonNode> user = new TreeMap<>();
        TreeMap<String, JsonNode> toolkit = new TreeMap<>();
        spec.hyperParameters().forEach((name, value) -> {
            JsonNode decoded = decode(value);
            if (TOOLKIT.contains(name) || name.startsWith("sagemaker_")) toolkit.put(name, decoded);
            else user.put(name, decoded);
        });
        JsonNode dir = toolkit.get(SUBMIT_DIRECTORY);
        return Optional.of(new ScriptMode(text(toolkit.get(PROGRAM)), dir == null ? null : text(dir), user, toolkit));
    }

    /** A value as the toolkit reads it: JSON where it parses, else the text itself. */
    static JsonNode decode(String value) {
        try {
            JsonNode node = DECODER.readTree(value);
            return node == null || node.isMissingNode() ? TextNode.valueOf(value) : node;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(value);
        }
    }

    public String program() {
        return program;
    }

    public boolean isPython() {
        return program.endsWith(".py");
    }

    /** Why the job cannot run in script mode here, if it cannot; checked at Create. */
    public List<String> problems(ObjectStore objectStore) {
        List<String> problems = new ArrayList<>();
        if (!SAFE_PROGRAM.matcher(program).matches() || Stream.of(program.split("/")).anyMatch(".."::equals))
            problems.add("HyperParameters " + PROGRAM + " '" + program + "' must be a path relative to the source "
                    + "directory, without '..'");
        if (submitDirectory == null) {
            problems.add("HyperParameters " + PROGRAM + " without " + SUBMIT_DIRECTORY + " (code inside the image) is "
                    + "not supported yet: give the source directory's s3:// or file:// location");
        } else {
            try {
                URI uri = URI.create(submitDirectory);
                if (!objectStore.handles(uri))
                    problems.add("HyperParameters " + SUBMIT_DIRECTORY + " '" + submitDirectory + "' is not a location "
                            + "of this server's object store (s3:// or file://)");
            } catch (IllegalArgumentException e) {
                problems.add("HyperParameters " + SUBMIT_DIRECTORY + " '" + submitDirectory + "' is not a URI");
            }
        }
        return problems;
    }

    /**
     * Fetches the source directory and unpacks it into the job's {@code code/}; notes what is not
     * done (requirements.txt) in the job's log.
     *
     * @throws UnsupportedTrainingFeatureException for what script mode cannot run (an unsafe archive,
     *         a Python package with setup.py, a missing entry point)
     */
    public void stage(JobDirectory dir, ObjectStore objectStore) throws IOException {
        Path code = dir.root().resolve(CODE_DIR);
        Path fetched = dir.state("sourcedir");
        Files.createDirectories(fetched);
        URI uri = URI.create(submitDirectory);
        if (objectStore.copyPrefixTo(uri, fetched) == 0)
            throw new UnsupportedTrainingFeatureException("HyperParameters " + SUBMIT_DIRECTORY + " '" + submitDirectory
                    + "': nothing is stored there");
        String last = uri.getPath() == null ? "" : uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1);
        Path archive = fetched.resolve(last);
        if (!last.isEmpty() && (last.endsWith(".tar.gz") || last.endsWith(".tgz") || last.endsWith(".tar"))
                && Files.isRegularFile(archive)) {
            try (InputStream in = Files.newInputStream(archive)) {
                Unpack.tar(in, code);
            } catch (Unpack.UnsafeArchiveException e) {
                throw new UnsupportedTrainingFeatureException("HyperParameters " + SUBMIT_DIRECTORY + " '"
                        + submitDirectory + "' is refused: " + e.getMessage());
            }
        } else {
            Files.move(fetched, code);   // a directory's files, as they are
        }
        if (Files.exists(code.resolve("setup.py")))
            throw new UnsupportedTrainingFeatureException("the source directory is a Python package (setup.py), which "
                    + "SageMaker installs with pip: Vernier installs no packages; run a script instead");
        Path entry = code.resolve(program);
        if (!Files.isRegularFile(entry))
            throw new UnsupportedTrainingFeatureException("HyperParameters " + PROGRAM + " '" + program + "' is not a "
                    + "file of the source directory " + submitDirectory);
        if (!isPython()) entry.toFile().setExecutable(true, false);
        if (Files.exists(code.resolve("requirements.txt")))
            Files.writeString(dir.log(), "Vernier: requirements.txt in the source directory is ignored: no packages are "
                    + "installed when a job starts (there is no package index to install from); install them in the "
                    + "image or the interpreter's environment\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
    }

    /** The user's hyperparameters as command-line arguments, as the toolkit writes them: {@code --name value}, sorted. */
    public List<String> userArgs() {
        List<String> args = new ArrayList<>();
        user.forEach((name, value) -> {
            args.add(name.length() > 1 ? "--" + name : "-" + name);
            args.add(value.isObject() ? mapArg(value) : PythonText.str(value));
        });
        return args;
    }

    private static String mapArg(JsonNode map) {
        List<String> items = new ArrayList<>();
        new TreeMap<>(toMap(map)).forEach((k, v) -> items.add(k + "=" + PythonText.str(v)));
        return String.join(",", items);
    }

    private static Map<String, JsonNode> toMap(JsonNode object) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * The command that runs the entry point in the code directory ({@code codeDir} as the program sees
     * it): {@code python program args} for a .py file, else {@code ./program args}.
     */
    public List<String> command(Path codeDir, String python) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", codeDir.toString()));
        if (isPython()) cmd.addAll(List.of(python, program));
        else cmd.add("./" + program);
        cmd.addAll(userArgs());
        return cmd;
    }

    /**
     * The toolkit's environment on top of {@code contract} (the job's {@code TrainingEnvironment}, paths
     * as the program sees them): the user's hyperparameters decoded in {@code SM_HPS} and
     * {@code SM_HP_*} (the toolkit's own are not among them), {@code SM_USER_ARGS},
     * {@code SM_MODULE_NAME}, {@code SM_MODULE_DIR}, {@code SM_USER_ENTRY_POINT}, ... and SM_TRAINING_ENV with them.
     */
    public Map<String, String> environment(Map<String, String> contract, TrainingJobSpec spec) {
        Map<String, String> env = new LinkedHashMap<>(contract);
        env.keySet().removeIf(name -> name.startsWith("SM_HP_"));
        ObjectNode hps = StateFiles.JSON.createObjectNode();
        user.forEach((name, value) -> {
            hps.set(name, value);
            env.put("SM_HP_" + name.toUpperCase(Locale.ROOT), value.isTextual() ? value.asText() : PythonText.json(value));
        });
        ObjectNode framework = StateFiles.JSON.createObjectNode();
        toolkit.forEach((name, value) -> {
            if (!TOOLKIT.contains(name)) framework.set(name, value);
        });
        ArrayNode args = StateFiles.JSON.createArrayNode();
        userArgs().forEach(args::add);
        String moduleName = program.endsWith(".py") ? program.substring(0, program.length() - 3) : program;
        JsonNode logLevel = toolkit.getOrDefault("sagemaker_container_log_level",
                StateFiles.JSON.getNodeFactory().numberNode(20));
        env.put("SM_HPS", PythonText.json(hps));
        env.put("SM_USER_ARGS", PythonText.json(args));
        env.put("SM_MODULE_NAME", moduleName);
        env.put("SM_MODULE_DIR", submitDirectory);
        env.put("SM_USER_ENTRY_POINT", program);
        env.put("SM_FRAMEWORK_PARAMS", PythonText.json(framework));
        env.put("SM_FRAMEWORK_MODULE", "");
        env.put("SM_LOG_LEVEL", PythonText.str(logLevel));
        env.put("SM_NETWORK_INTERFACE_NAME", contract.getOrDefault("SM_NETWORK_INTERFACE_NAME", "eth0"));
        env.put("SM_CURRENT_INSTANCE_TYPE", spec.resources().instanceType() == null ? "local" : spec.resources().instanceType());
        env.put("SM_RESOURCE_CONFIG", env.getOrDefault("SM_RESOURCE_CONFIG", ""));
        env.put("SM_INPUT_DATA_CONFIG", PythonText.json(ConfigFiles.inputDataConfig(spec)));
        try {
            ObjectNode training = (ObjectNode) StateFiles.JSON.readTree(contract.get("SM_TRAINING_ENV"));
            env.put("SM_RESOURCE_CONFIG", PythonText.json(training.get("resource_config")));
            training.set("hyperparameters", hps);
            training.set("additional_framework_parameters", framework);
            training.put("module_name", moduleName);
            training.put("module_dir", submitDirectory);
            training.put("user_entry_point", program);
            training.set("log_level", logLevel);
            training.putNull("framework_module");
            training.put("network_interface_name", env.get("SM_NETWORK_INTERFACE_NAME"));
            training.put("current_instance_type", env.get("SM_CURRENT_INSTANCE_TYPE"));
            env.put("SM_TRAINING_ENV", PythonText.json(training));
        } catch (JsonProcessingException | ClassCastException | NullPointerException e) {
            throw new IllegalStateException("SM_TRAINING_ENV is not a JSON object", e);
        }
        env.putAll(spec.environment());   // the definition's Environment wins, as everywhere
        return env;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : node.toString();
    }
}
