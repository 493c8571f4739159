package dev.vernier.cli.aws;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** botocore's {@code xform_name}: API names as the AWS CLI spells them ({@code ResourceArn} → {@code resource-arn}). */
public final class CliNames {
    private static final Pattern FIRST_CAP = Pattern.compile("(.)([A-Z][a-z]+)");
    private static final Pattern END_CAP = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern SPECIAL_PLURAL = Pattern.compile("[A-Z]{2,}s$");

    private CliNames() {}

    public static String hyphenate(String name) {
        if (name.contains("-")) return name;
        Matcher special = SPECIAL_PLURAL.matcher(name);
        if (special.find()) {
            String matched = special.group();
            name = name.substring(0, name.length() - matched.length()) + "-" + matched.toLowerCase();
        }
        String s1 = FIRST_CAP.matcher(name).replaceAll("$1-$2");
        return END_CAP.matcher(s1).replaceAll("$1-$2").toLowerCase();
    }
}
