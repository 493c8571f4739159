package dev.vernier.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.cli.Terminal;
import dev.vernier.protocol.model.ApiModel;
import dev.vernier.protocol.model.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * One {@code aws sagemaker} command, built from the model: an option per request member
 * ({@code HyperParameterTuningJobName} → {@code --hyper-parameter-tuning-job-name}), plus
 * {@code --cli-input-json}, {@code --generate-cli-skeleton [input|output]}, {@code --output},
 * {@code --query}, paging options for list operations, and the connection options.
 */
public final class OperationCommand implements Callable<Integer> {
    /** List operations the AWS CLI pages through (botocore's paginators-1.json): their result member. */
    private static final Map<String, String> RESULT_KEYS = Map.of(
            "ListHyperParameterTuningJobs", "HyperParameterTuningJobSummaries",
            "ListTrainingJobs", "TrainingJobSummaries",
            "ListTrainingJobsForHyperParameterTuningJob", "TrainingJobSummaries",
            "ListTags", "Tags");

    private final ApiModel.Operation operation;
    private final ClientOptions client = new ClientOptions();
    private final Map<String, String> optionToMember = new LinkedHashMap<>();
    private CommandSpec spec;

    private OperationCommand(ApiModel.Operation operation) {
        this.operation = operation;
    }

    /** Adds a command for every operation of the model to {@code parent}. */
    public static void addAll(CommandLine parent) {
        for (ApiModel.Operation op : ApiModel.sagemaker().operations()) {
            parent.addSubcommand(CliNames.hyphenate(op.name()), new CommandLine(create(op)));
        }
    }

    static CommandSpec create(ApiModel.Operation op) {
        OperationCommand command = new OperationCommand(op);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        command.spec = spec;
        spec.mixinStandardHelpOptions(true);
        spec.usageMessage().description("SageMaker " + op.name() + ", as `aws sagemaker " + CliNames.hyphenate(op.name()) + "`.",
                        "Structure values are JSON, file://path or flat Key=Value,... shorthand; list operations fetch every page.")
                .footer("", "Example:", "  " + OperationExamples.example(op.name()), "",
                        "Exit codes: 0 success, 252 usage, 253 configuration/credentials, 254 service error, 255 other.");
        if (op.input() != null) {
            op.input().members().forEach(m -> command.addMemberOption(spec, m.name(), m.shape(), m.required()));
        }
        spec.addOption(OptionSpec.builder("--cli-input-json").paramLabel("<value>").type(String.class)
                .description("the request as JSON, inline or file://path; options given on the command line override its members").build());
        spec.addOption(OptionSpec.builder("--generate-cli-skeleton").paramLabel("input|output").type(String.class).arity("0..1")
                .fallbackValue("input").description("print a sample request (input, the default) or validate the options and "
                        + "print a sample response (output), without calling the server").build());
        spec.addOption(OptionSpec.builder("--output").paramLabel("json|table|text").type(String.class)
                .description("output format (default: AWS_DEFAULT_OUTPUT, else json)").build());
        spec.addOption(OptionSpec.builder("--query").paramLabel("<JMESPath>").type(String.class)
                .description("JMESPath expression applied to the response").build());
        if (RESULT_KEYS.containsKey(op.name())) {
            spec.addOption(OptionSpec.builder("--no-paginate").arity("0").type(boolean.class)
                    .description("one call only (by default every page is fetched and merged)").build());
            spec.addOption(OptionSpec.builder("--page-size").paramLabel("<N>").type(Integer.class)
                    .description("MaxResults of each call while paging").build());
        }
        spec.addMixin("client", CommandSpec.forAnnotatedObject(command.client));
        return spec;
    }

    private void addMemberOption(CommandSpec spec, String member, Shape shape, boolean required) {
        String name = "--" + CliNames.hyphenate(member);
        optionToMember.put(name, member);
        String kind = switch (shape.kind()) {
            case STRUCTURE -> "(structure) JSON, file://path or Key=Value,...";
            case MAP -> "(map) JSON or Key=Value,...";
            case LIST -> shape.element().isScalar() ? "(list) one or more values" : "(list) JSON, or one Key=Value,... per element";
            case TIMESTAMP -> "(timestamp) ISO 8601 or epoch seconds";
            default -> "(" + shape.kind().name().toLowerCase() + ")" + (shape.enumValues().isEmpty() ? "" : " " + String.join(" | ", shape.enumValues()));
        };
        String description = (required ? "[required] " : "") + kind;
        if (shape.kind() == Shape.Kind.BOOLEAN) {
            spec.addOption(OptionSpec.builder(name).arity("0").type(boolean.class).description(description).build());
            spec.addOption(OptionSpec.builder("--no-" + name.substring(2)).arity("0").type(boolean.class).description("sets " + member + " to false").build());
            optionToMember.put("--no-" + name.substring(2), member);
            return;
        }
        boolean many = shape.kind() == Shape.Kind.LIST;
        OptionSpec.Builder option = OptionSpec.builder(name).paramLabel("<value>").description(description);
        if (many) option.type(List.class).auxiliaryTypes(String.class).arity("1..*");
        else option.type(String.class).arity("1");
        spec.addOption(option.build());
    }

    @Override
    public Integer call() {
        ParseResult parsed = spec.commandLine().getParseResult();
        String skeleton = parsed.matchedOptionValue("--generate-cli-skeleton", null);
        if ("input".equals(skeleton)) {
            System.out.print(PyJson.print(Skeletons.input(operation.input())) + "\n");
            return 0;
        }
        if (skeleton != null && !"output".equals(skeleton)) {
            throw new CliException(CliException.USAGE, "argument --generate-cli-skeleton: Invalid choice, valid choices are:\n\ninput | output");
        }
        OutputFormatter output = OutputFormatter.of(parsed.matchedOptionValue("--output", null),
                parsed.matchedOptionValue("--query", null), Terminal.width());
        ObjectNode request = request(parsed);
        requireMembers(request, parsed.hasMatchedOption("--cli-input-json"));
        if (skeleton != null) {
            validateLocally(request);
            print(output.render(operation.name(), operation.output(), Skeletons.output(operation.output()), Timestamps.Format.WIRE));
            return 0;
        }
        AwsConfig config = client.config();
        SageMakerHttp http = new SageMakerHttp(config);
        JsonNode response = send(http, request, parsed);
        print(output.render(operation.name(), operation.output(), response, config.timestampFormat()));
        return 0;
    }

    private ObjectNode request(ParseResult parsed) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        String input = parsed.matchedOptionValue("--cli-input-json", null);
        if (input != null) request = ParameterValues.jsonObject("--cli-input-json", ParameterValues.expand("--cli-input-json", input));
        for (Map.Entry<String, String> e : optionToMember.entrySet()) {
            if (!parsed.hasMatchedOption(e.getKey())) continue;
            Shape shape = operation.input().member(e.getValue()).orElseThrow().shape();
            if (shape.kind() == Shape.Kind.BOOLEAN) {
                request.put(e.getValue(), !e.getKey().startsWith("--no-"));
                continue;
            }
            Object value = parsed.matchedOptionValue(e.getKey(), null);
            List<String> values = new ArrayList<>();
            if (value instanceof List<?> list) list.forEach(v -> values.add(String.valueOf(v)));
            else values.add(String.valueOf(value));
            request.set(e.getValue(), ParameterValues.parse(e.getKey(), shape, values));
        }
        Timestamps.toWire(operation.input(), request);
        return request;
    }

    /**
     * The AWS CLI's checks before a call (and before {@code --generate-cli-skeleton output}): required
     * options first, as its argument parser does, then botocore's parameter validation at every level.
     */
    private void requireMembers(ObjectNode request, boolean fromJson) {
        if (operation.input() == null) return;
        if (!fromJson) {
            List<String> missing = new ArrayList<>();
            for (Shape.Member member : operation.input().members()) {
                if (member.required() && !request.has(member.name())) missing.add("--" + CliNames.hyphenate(member.name()));
            }
            if (!missing.isEmpty()) throw new CliException(CliException.USAGE, "the following arguments are required: " + String.join(", ", missing));
        }
        List<String> errors = ParamValidator.errors(operation.input(), request);
        if (!errors.isEmpty()) {  // the server would ignore unknown members silently
            throw new CliException(CliException.USAGE, "Parameter validation failed:\n" + String.join("\n", errors));
        }
    }

    /** What the AWS CLI checks before {@code --generate-cli-skeleton output}: here, the server's own shape validation. */
    private void validateLocally(ObjectNode request) {
        ApiModel.sagemaker().validationError(operation.name(), request).ifPresent(error -> {
            throw new CliException(CliException.USAGE, "Parameter validation failed:\n" + error);
        });
    }

    private JsonNode send(SageMakerHttp http, ObjectNode request, ParseResult parsed) {
        String resultKey = RESULT_KEYS.get(operation.name());
        Integer pageSize = parsed.matchedOptionValue("--page-size", null);
        boolean paginate = resultKey != null && !parsed.hasMatchedOption("--no-paginate")
                && !request.has("NextToken") && !request.has("MaxResults");
        if (pageSize != null) request.put("MaxResults", pageSize);
        if (!paginate) return http.call(operation.name(), request);
        ObjectNode merged = null;
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        while (true) {
            JsonNode page = http.call(operation.name(), request);
            if (merged == null) merged = page.deepCopy();
            page.path(resultKey).forEach(all::add);
            String next = page.path("NextToken").asText(null);
            if (next == null || next.isEmpty()) break;
            request.put("NextToken", next);
        }
        merged.set(resultKey, all);
        merged.remove("NextToken");
        return merged;
    }

    private static void print(String text) {
        System.out.print(text);
        System.out.flush();
    }
}
