package dev.vernier.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vernier.protocol.error.ApiException;
import dev.vernier.protocol.error.ErrorMapping;
import dev.vernier.service.ServiceException;
import dev.vernier.service.TrainingJobService;
import dev.vernier.service.TuningJobService;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web dashboard, mounted on the server's own port under {@link #PATH}. Pages, scripts and styles
 * come from the jar; data comes from the typed services; actions call the same service methods as
 * the API (Create through the API's own operation). Nothing but the sign-in page answers without a
 * session.
 */
public final class Dashboard implements HttpHandler, AutoCloseable {
    public static final String PATH = "/dashboard";
    static final String COOKIE = "vernier_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    private static final int MAX_BODY = 1 << 20;

    /** Creates a tuning job from a SageMaker Create request, validated as the API validates it; answers its ARN. */
    @FunctionalInterface
    public interface TuningJobCreator {
        String create(ObjectNode request);
    }

    /**
     * What the dashboard is built from.
     *
     * @param secretFor the secret of an access key id the server accepts, for signing in with the key
     * @param sessionSecret what every server that should accept the same session cookies shares (after a restart too)
     * @param signOuts the sessions signed out before they expired, shared with every server that accepts the same cookies
     * @param failedSignIns failed sign-ins per client address, shared likewise
     */
    public record Parts(TuningJobService tuning, TrainingJobService training, Function<String, Optional<String>> secretFor,
                        byte[] sessionSecret, SignOuts signOuts, FailedSignIns failedSignIns, TuningJobCreator creator,
                        Clock clock) {}

    private final Sessions sessions;
    private final SignInThrottle throttle;
    private final Function<String, Optional<String>> secretFor;
    private final Pages pages = new Pages();
    private final TuningJobPages tuningJobs;
    private final TrainingJobPages trainingJobs;
    private final Live live;
    private volatile boolean closed;

    public Dashboard(Parts parts) {
        this.sessions = new Sessions(parts.sessionSecret(), parts.clock(), parts.signOuts());
        this.throttle = new SignInThrottle(parts.clock(), parts.failedSignIns());
        this.secretFor = parts.secretFor();
        this.tuningJobs = new TuningJobPages(parts.tuning(), parts.training(), parts.creator());
        this.trainingJobs = new TrainingJobPages(parts.training());
        this.live = new Live(parts.tuning(), parts.training(), tuningJobs, () -> closed);
    }

    /**
     * A new one-time sign-in path (with its token), for the server to print at start; once signed in
     * the browser opens {@code page} (relative to the dashboard, e.g. {@code tuning-jobs/NAME}; empty for the list).
     */
    public String signInPath(String page) {
        String path = PATH + "/login?token=" + sessions.newLinkToken();
        return page.isEmpty() ? path : path + "&next=" + java.net.URLEncoder.encode(page, StandardCharsets.UTF_8);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Http.securityHeaders(exchange);
            String path = exchange.getRequestURI().getRawPath();
            String rest = path.length() <= PATH.length() ? "/" : path.substring(PATH.length());
            String method = exchange.getRequestMethod();
            try {
                if (rest.equals("/login")) {
                    signIn(exchange, method);
                    return;
                }
                Optional<Sessions.Session> session = sessions.find(Http.cookie(exchange, COOKIE));
                if (session.isEmpty()) {
                    if (rest.startsWith("/api/") || rest.startsWith("/events/"))
                        Http.error(exchange, 401, "NotSignedIn", "Sign in to the dashboard first (" + PATH + "/login).");
                    else
                        Http.redirect(exchange, PATH + "/login");
                    return;
                }
                if (method.equals("POST")) {
                    if (!Sessions.csrfMatches(session.get(), exchange.getRequestHeaders().getFirst(CSRF_HEADER))) {
                        Http.error(exchange, 403, "InvalidCsrfToken",
                                "The request's " + CSRF_HEADER + " header is missing or does not match this session's.");
                        return;
                    }
                    post(exchange, rest, session.get());
                } else if (method.equals("GET") || method.equals("HEAD")) {
                    get(exchange, rest, session.get());
                } else {
                    Http.error(exchange, 405, "MethodNotAllowed", method + " is not served here.");
                }
            } catch (Http.BadRequest e) {
                Http.error(exchange, 400, "ValidationException", e.getMessage());
            } catch (ServiceException e) {
                ApiException api = ErrorMapping.toApi(e);
                Http.error(exchange, api.code().httpStatus(), api.code().wireName(), api.getMessage());
            } catch (ApiException e) {
                Http.error(exchange, e.code().httpStatus(), e.code().wireName(), e.getMessage());
            } catch (IOException e) {
                LOG.debug("dashboard request {} {}: the connection broke ({})", method, path, e.toString());   // e.g. a closed event stream
            } catch (dev.vernier.core.store.StoreUnavailableException e) {   // the session check reads the store too
                LOG.warn("dashboard request {} {}: the database is not reachable: {}", method, path, e.getMessage());
                Http.error(exchange, 503, "ServiceUnavailable", "The service cannot reach its database right now; retry.");
            } catch (RuntimeException e) {
                LOG.error("dashboard request {} {} failed", method, path, e);
                Http.error(exchange, 500, "InternalFailure", "An internal error occurred.");
            }
        }
    }

    private void signIn(HttpExchange exchange, String method) throws IOException {
        String client = exchange.getRemoteAddress().getAddress().getHostAddress();
        if (method.equals("GET")) {
            String token = Http.query(exchange).get("token");
            if (token == null) {
                Http.html(exchange, 200, pages.signIn(null));
                return;
            }
            if (throttled(exchange, client)) return;
            Optional<Sessions.Session> s = sessions.signInWithLink(token);
            if (s.isEmpty()) {
                throttle.failed(client);
                Http.html(exchange, 403, pages.signIn("This sign-in link is not valid: it was used already, has expired, "
                        + "or comes from an earlier start of the server. Sign in with an access key instead."));
                return;
            }
            setCookie(exchange, s.get());
            // A page, not a redirect: the next request starts from this site, so the SameSite=Strict cookie goes with it.
            String next = Http.query(exchange).getOrDefault("next", "");
            // only a page of the dashboard: never a redirect elsewhere
            if (!next.matches("[A-Za-z0-9._/-]*") || next.contains("..") || next.startsWith("/")) next = "";
            Http.html(exchange, 200, pages.signedIn(PATH + "/" + next));
            return;
        }
        if (!method.equals("POST")) {
            Http.error(exchange, 405, "MethodNotAllowed", method + " is not served here.");
            return;
        }
        if (throttled(exchange, client)) return;
        byte[] body = Http.body(exchange, 16 * 1024);
        Map<String, String> form = Http.decodeForm(body == null ? "" : new String(body, StandardCharsets.UTF_8));
        String id = form.getOrDefault("accessKeyId", "").trim();
        String secret = form.getOrDefault("secretAccessKey", "");
        Optional<String> expected = id.isEmpty() ? Optional.empty() : secretFor.apply(id);
        if (expected.isEmpty() || !Sessions.equalsConstantTime(expected.get(), secret)) {
            throttle.failed(client);
            Http.html(exchange, 403, pages.signIn("Unknown access key id or wrong secret."));
            return;
        }
        throttle.succeeded(client);
        setCookie(exchange, sessions.newSession());
        Http.redirect(exchange, PATH + "/");
    }

    /** Answers 429 with Retry-After when the client failed to sign in too often lately. */
    private boolean throttled(HttpExchange exchange, String client) throws IOException {
        Optional<Duration> wait = throttle.wait(client);
        if (wait.isEmpty()) return false;
        long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
        exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
        Http.html(exchange, 429, pages.signIn("Too many failed sign-ins from this address (" + SignInThrottle.MAX_FAILURES
                + " within " + SignInThrottle.WINDOW.toMinutes() + " minutes). Try again in " + seconds + " s."));
        return true;
    }

    private static void setCookie(HttpExchange exchange, Sessions.Session s) {
        exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + s.cookie() + "; Path=" + PATH + "; Max-Age="
                + Sessions.LIFETIME.toSeconds() + "; HttpOnly; SameSite=Strict" + (Http.isTls(exchange) ? "; Secure" : ""));
    }

    private void get(HttpExchange exchange, String rest, Sessions.Session session) throws IOException {
        if (rest.equals("/") || rest.isEmpty()) {
            Http.html(exchange, 200, pages.page("tuning-jobs", "", session));
        } else if (rest.startsWith("/assets/")) {
            pages.asset(exchange, rest.substring("/assets/".length()));
        } else if (rest.startsWith("/tuning-jobs/")) {
            Http.html(exchange, 200, pages.page("tuning-job", name(rest, "/tuning-jobs/"), session));
        } else if (rest.startsWith("/training-jobs/")) {
            Http.html(exchange, 200, pages.page("training-job", name(rest, "/training-jobs/"), session));
        } else if (rest.equals("/api/tuning-jobs")) {
            Http.json(exchange, 200, tuningJobs.list(Http.query(exchange)));
        } else if (rest.startsWith("/api/tuning-jobs/")) {
            String[] parts = parts(rest, "/api/tuning-jobs/");
            Map<String, String> q = Http.query(exchange);
            switch (parts.length == 1 ? "" : parts[1]) {
                case "" -> {
                    DetailAnswers.Answer answer = tuningJobs.detail(parts[0]);
                    exchange.getResponseHeaders().set("Server-Timing", answer.timing());
                    Http.send(exchange, 200, "application/json", answer.json(), answer.gzipped());
                }
                case "training-jobs" -> Http.json(exchange, 200, tuningJobs.table(parts[0], q));
                case "intermediate" -> Http.json(exchange, 200, tuningJobs.intermediate(parts[0]));
                case "tune-again" -> Http.json(exchange, 200, tuningJobs.tuneAgainRequest(parts[0]));
                default -> Http.error(exchange, 404, "NotFound", "No such page.");
            }
        } else if (rest.startsWith("/api/training-jobs/")) {
            Http.json(exchange, 200, trainingJobs.detail(name(rest, "/api/training-jobs/")));
        } else if (rest.equals("/events/tuning-jobs")) {
            live.tuningJobs(exchange, Http.query(exchange));
        } else if (rest.startsWith("/events/tuning-jobs/")) {
            live.tuningJob(exchange, name(rest, "/events/tuning-jobs/"));
        } else if (rest.startsWith("/events/training-jobs/")) {
            live.trainingJob(exchange, name(rest, "/events/training-jobs/"));
        } else {
            Http.error(exchange, 404, "NotFound", "No such page.");
        }
    }

    private void post(HttpExchange exchange, String rest, Sessions.Session session) throws IOException {
        if (rest.equals("/logout")) {
            sessions.end(session);
            exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=" + PATH + "; Max-Age=0; HttpOnly; SameSite=Strict");
            Http.json(exchange, 200, Http.JSON.createObjectNode().put("signedOut", true));
        } else if (rest.equals("/api/tuning-jobs")) {
            byte[] body = Http.body(exchange, MAX_BODY);
            if (body == null) throw new Http.BadRequest("The request is larger than " + MAX_BODY + " bytes.");
            Http.json(exchange, 200, tuningJobs.create(body));
        } else if (rest.startsWith("/api/tuning-jobs/") && rest.endsWith("/stop")) {
            String name = name(rest.substring(0, rest.length() - "/stop".length()), "/api/tuning-jobs/");
            Http.json(exchange, 200, tuningJobs.stop(name));
        } else if (rest.startsWith("/api/training-jobs/") && rest.endsWith("/stop")) {
            String name = name(rest.substring(0, rest.length() - "/stop".length()), "/api/training-jobs/");
            Http.json(exchange, 200, trainingJobs.stop(name));
        } else {
            Http.error(exchange, 404, "NotFound", "No such action.");
        }
    }

    private static String name(String rest, String prefix) {
        String[] parts = parts(rest, prefix);
        if (parts.length != 1) throw new Http.BadRequest("Malformed path " + rest);
        return parts[0];
    }

    private static String[] parts(String rest, String prefix) {
        String tail = rest.substring(prefix.length());
        String[] raw = tail.split("/", -1);
        for (int i = 0; i < raw.length; i++) raw[i] = URLDecoder.decode(raw[i], StandardCharsets.UTF_8);
        if (raw[0].isEmpty()) throw new Http.BadRequest("A name is missing in the path " + rest);
        return raw;
    }

    @Override
    public void close() {
        closed = true;
    }
}
