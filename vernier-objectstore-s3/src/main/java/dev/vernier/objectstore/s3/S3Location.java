package dev.vernier.objectstore.s3;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * An {@code s3://bucket/key} location, decoded ({@code %20} is a space). Keys with {@code .} or
 * {@code ..} segments are refused: S3 would store them literally, but a directory store or a
 * channel directory would resolve them, so they never name an object here.
 */
record S3Location(String bucket, String key) {
    /** S3's bucket naming rules (3 to 63 lower-case letters, digits, '.' and '-'). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    static boolean isS3(URI location) {
        return "s3".equals(location.getScheme()) && location.getRawAuthority() != null
                && BUCKET.matcher(location.getRawAuthority()).matches();
    }

    /** The location's bucket and key; IllegalArgumentException when it is no s3:// location or its key has dot segments. */
    static S3Location of(URI location) {
        if (!isS3(location)) throw new IllegalArgumentException("not an s3://bucket/key location: " + location);
        String path = location.getPath() == null ? "" : location.getPath();
        String key = path.startsWith("/") ? path.substring(1) : path;
        for (String segment : key.split("/", -1))
            if (segment.equals(".") || segment.equals(".."))
                throw new IllegalArgumentException("key has a '.' or '..' segment: " + location);
        return new S3Location(location.getRawAuthority(), key);
    }

    /** The key up to and including its last '/': what staged paths are relative to. */
    String directory() {
        return key.substring(0, key.lastIndexOf('/') + 1);
    }

    /** The part of the key after its last '/'. */
    String namePrefix() {
        return key.substring(key.lastIndexOf('/') + 1);
    }
}
