package dev.vernier.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vernier.protocol.model.Shape;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPathException;
import io.burt.jmespath.jackson.JacksonRuntime;
import java.time.ZoneId;

/** Renders a response as {@code --output json|table|text}, after {@code --query}, as the AWS CLI does. */
public final class OutputFormatter {
    private static final JacksonRuntime JMESPATH = new JacksonRuntime();

    private final String format;
    private final Expression<JsonNode> query;
    private final int terminalWidth;

    private OutputFormatter(String format, Expression<JsonNode> query, int terminalWidth) {
        this.format = format;
        this.query = query;
        this.terminalWidth = terminalWidth;
    }

    /** @throws CliException (usage) for an unknown format or a query that does not compile */
    public static OutputFormatter of(String format, String query, int terminalWidth) {
        String f = format == null ? System.getenv().getOrDefault("AWS_DEFAULT_OUTPUT", "json") : format;
        if (!f.equals("json") && !f.equals("table") && !f.equals("text")) {
            throw new CliException(CliException.USAGE, "argument --output: Invalid choice, valid choices are:\n\njson | text | table");
        }
        Expression<JsonNode> compiled = null;
        if (query != null) {
            try {
                compiled = JMESPATH.compile(query);
            } catch (JmesPathException e) {
                throw new CliException(CliException.USAGE, "Bad value for --query " + query + ": " + e.getMessage());
            }
        }
        return new OutputFormatter(f, compiled, terminalWidth);
    }

    /** The text to print for {@code response} of {@code operation}; "" when the AWS CLI prints nothing. */
    public String render(String operation, Shape outputShape, JsonNode response, Timestamps.Format timestamps) {
        JsonNode data = Timestamps.render(outputShape, response, timestamps, ZoneId.systemDefault());
        if (query != null) data = query.search(data);
        if (data == null) data = com.fasterxml.jackson.databind.node.NullNode.getInstance();
        return switch (format) {
            case "table" -> TableFormat.format(operation, data, terminalWidth);
            case "text" -> TextFormat.format(data);
            default -> data.isObject() && data.isEmpty() ? "" : PyJson.print(data) + "\n";
        };
    }
}
