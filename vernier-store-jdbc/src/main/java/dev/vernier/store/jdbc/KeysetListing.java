package dev.vernier.store.jdbc;

import dev.vernier.core.store.InvalidTokenException;
import dev.vernier.core.store.Page;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * One listing paged by key: filters, a sort expression with the name as tie-breaker, and a token
 * holding the last row's sort value and name. Shared by every List operation.
 */
final class KeysetListing<T> {
    /** How a sort expression's value travels in a token. */
    enum SortType { TEXT, INTEGER, REAL }

    private final String from;
    private final StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    private final Map<String, Object> binds = new LinkedHashMap<>();

    KeysetListing(String from) {
        this.from = from;
    }

    KeysetListing<T> filter(Optional<?> value, String condition, String bindName, Function<Object, Object> convert) {
        value.ifPresent(v -> {
            where.append(" AND ").append(condition);
            binds.put(bindName, convert.apply(v));
        });
        return this;
    }

    KeysetListing<T> filter(String condition, String bindName, Object value) {
        where.append(" AND ").append(condition);
        binds.put(bindName, value);
        return this;
    }

    /**
     * @param sortName     the name a token is tied to (a token only works with the sort it was issued for)
     * @param sortExpr     SQL expression to sort by
     * @param sortValueOf  the sort value of a returned item, as the token stores it
     */
    Page<T> page(Handle h, String sortName, String sortExpr, SortType type, boolean descending, int maxResults,
                 Optional<String> nextToken, RowMapper<T> mapper, Function<T, String> sortValueOf,
                 Function<T, String> nameKeyOf) {
        StringBuilder sql = new StringBuilder("SELECT * FROM ").append(from).append(where);
        Map<String, Object> all = new LinkedHashMap<>(binds);
        if (nextToken.isPresent()) {
            PageToken token = PageToken.decode(nextToken.get(), sortName);
            sql.append(" AND (").append(sortExpr).append(", name_key) ").append(descending ? "<" : ">")
                    .append(" (:afterSort, :afterName)");
            all.put("afterSort", typed(token.sortValue(), type));
            all.put("afterName", token.nameKey());
        }
        String order = descending ? " DESC" : " ASC";
        sql.append(" ORDER BY ").append(sortExpr).append(order).append(", name_key").append(order).append(" LIMIT :limit");
        all.put("limit", maxResults + 1);
        Query query = h.createQuery(sql.toString());
        all.forEach(query::bind);
        List<T> rows = new ArrayList<>(query.map(mapper).list());
        if (rows.size() <= maxResults) return new Page<>(rows, Optional.empty());
        List<T> page = rows.subList(0, maxResults);
        T last = page.get(page.size() - 1);
        return new Page<>(page, Optional.of(new PageToken(sortName, sortValueOf.apply(last), nameKeyOf.apply(last)).encode()));
    }

    private static Object typed(String value, SortType type) {
        try {
            return switch (type) {
                case TEXT -> value;
                case INTEGER -> Long.parseLong(value);
                case REAL -> Double.parseDouble(value);
            };
        } catch (NumberFormatException e) {
            throw new InvalidTokenException("The NextToken is not valid.");
        }
    }
}
