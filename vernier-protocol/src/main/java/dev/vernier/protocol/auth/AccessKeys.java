package dev.vernier.protocol.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The access keys that may sign requests to this server: the configured ones if any (settings or environment), and
 * otherwise one key pair generated on first start into {@code <data-dir>/credentials}, an AWS shared-credentials file
 * with profile {@code [vernier]}, created with mode 0600 and loaded again on later starts. A dedicated profile, not
 * {@code [default]}, so that the section can be pasted into {@code ~/.aws/credentials} without replacing anything.
 * Configured keys take precedence: with any configured, the file is neither read nor created.
 */
public final class AccessKeys implements SecretLookup {
    public static final String PROFILE = "vernier";
    public static final String FILE_NAME = "credentials";

    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

    private final Map<String, AccessKey> byId = new LinkedHashMap<>();
    private final Path credentialsFile;
    private final boolean generated;

    private AccessKeys(List<AccessKey> keys, Path credentialsFile, boolean generated) {
        if (keys.isEmpty()) throw new IllegalArgumentException("at least one access key is needed");
        for (AccessKey key : keys) {
            if (byId.putIfAbsent(key.id(), key) != null) {
                throw new IllegalArgumentException("access key id configured twice: " + key.id());
            }
        }
        this.credentialsFile = credentialsFile;
        this.generated = generated;
    }

    /** Exactly these keys; nothing is read from or written to disk. */
    public static AccessKeys of(List<AccessKey> keys) {
        return new AccessKeys(List.copyOf(keys), null, false);
    }

    /**
     * The configured keys if there are any; otherwise the key in {@code <dataDir>/credentials}, generated now if the
     * file does not exist yet.
     *
     * @throws IllegalStateException if the credentials file exists but cannot be used
     * @throws UncheckedIOException if the file cannot be read or written
     */
    public static AccessKeys loadOrCreate(List<AccessKey> configured, Path dataDir) {
        if (!configured.isEmpty()) return of(configured);
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        Optional<AccessKey> existing = CredentialsFile.read(file, PROFILE);
        if (existing.isPresent()) return new AccessKeys(List.of(existing.get()), file, false);
        AccessKey key = generate(new SecureRandom());
        try {
            CredentialsFile.create(file, PROFILE, key, "Access key of the Vernier server whose data directory this is,"
                    + "\ngenerated on its first start. Use with: export AWS_SHARED_CREDENTIALS_FILE=<this file>"
                    + " AWS_PROFILE=" + PROFILE);
            return new AccessKeys(List.of(key), file, true);
        } catch (FileAlreadyExistsException e) {
            // Another server on the same data directory generated its key first; that one counts.
            return new AccessKeys(List.of(CredentialsFile.read(file, PROFILE).orElseThrow()), file, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create credentials file " + file, e);
        }
    }

    /** A fresh key pair shaped like AWS's: {@code AKIA} + 16 of [A-Z0-9], and a 40-character base64-alphabet secret. */
    static AccessKey generate(SecureRandom random) {
        return new AccessKey("AKIA" + randomString(random, ID_ALPHABET, 16), randomString(random, SECRET_ALPHABET, 40));
    }

    private static String randomString(SecureRandom random, String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return text.toString();
    }

    @Override
    public Optional<String> secretFor(String accessKeyId) {
        return Optional.ofNullable(byId.get(accessKeyId)).map(AccessKey::secret);
    }

    /** The first key: the one to tell users about. */
    public AccessKey primary() {
        return byId.values().iterator().next();
    }

    public List<AccessKey> keys() {
        return List.copyOf(byId.values());
    }

    /** The shared-credentials file the keys come from; empty for configured keys. */
    public Optional<Path> credentialsFile() {
        return Optional.ofNullable(credentialsFile);
    }

    /** Whether this call generated the key (first start), rather than finding or being given one. */
    public boolean generatedNow() {
        return generated;
    }

    /**
     * One shell line that calls the server with the AWS CLI. It names the credentials file, or for configured keys the
     * key id; it never prints a secret.
     */
    public String usageHint(URI endpoint, String region) {
        String command = "aws sagemaker list-hyper-parameter-tuning-jobs --endpoint-url " + endpoint + " --region "
                + shellQuote(region);
        if (credentialsFile != null) {
            return "export AWS_SHARED_CREDENTIALS_FILE=" + shellQuote(credentialsFile.toString()) + " AWS_PROFILE="
                    + PROFILE + "; " + command;
        }
        return "export AWS_ACCESS_KEY_ID=" + shellQuote(primary().id())
                + " AWS_SECRET_ACCESS_KEY='<the configured secret>'; " + command;
    }

    private static String shellQuote(String text) {
        if (SHELL_SAFE.matcher(text).matches()) return text;
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
