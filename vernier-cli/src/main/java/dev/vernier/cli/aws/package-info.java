/**
 * The {@code aws sagemaker} half of the {@code vernier} command: one command per operation of the
 * server's botocore model slice, behaving and printing as the AWS CLI does. The model is the
 * server's own, loaded once by {@code dev.vernier.protocol.model.ApiModel}: its operations and
 * {@code Shape}s give the options, skeletons and timestamp members; the CLI reads no other part of
 * the protocol.
 *
 * <p>Decisions: exit codes are AWS CLI v2's (252 usage, 253 configuration, 254 service error, 255
 * other; v1 exits 255 for all errors); timestamps print as v2's ISO 8601 unless the profile says
 * {@code cli_timestamp_format = wire}; JSON, table and text output are ports of awscli's
 * {@code formatter.py}, {@code table.py} and {@code text.py} (without colours), checked byte for byte
 * against AWS CLI 1.45; {@code --query} is JMESPath by io.burt's jmespath-jackson, which works on the
 * Jackson trees the rest of the CLI already uses; {@code --generate-cli-skeleton output} validates
 * with the server's own {@code ApiModel}, stricter than botocore's client-side checks.
 */
package dev.vernier.cli.aws;
