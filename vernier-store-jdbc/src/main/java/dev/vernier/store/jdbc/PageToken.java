package dev.vernier.store.jdbc;

import dev.vernier.core.store.InvalidTokenException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A keyset position: the sort value and name of the last item of a page. Keyset (rather than
 * offset) paging returns every item exactly once even while jobs are created between pages.
 */
record PageToken(String column, String sortValue, String nameKey) {
    private static final char SEP = '\u001f';

    String encode() {
        String raw = "v1" + SEP + column + SEP + sortValue + SEP + nameKey;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static PageToken decode(String token, String expectedColumn) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("The NextToken is not valid.");
        }
        String[] parts = raw.split(String.valueOf(SEP), -1);
        if (parts.length != 4 || !parts[0].equals("v1"))
            throw new InvalidTokenException("The NextToken is not valid.");
        if (!parts[1].equals(expectedColumn))
            throw new InvalidTokenException("The NextToken was issued for a listing sorted differently.");
        return new PageToken(parts[1], parts[2], parts[3]);
    }
}
