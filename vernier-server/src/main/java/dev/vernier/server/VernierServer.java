package dev.vernier.server;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.store.Store;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.core.tuning.ResourceNames;
import dev.vernier.protocol.auth.AccessKey;
import dev.vernier.protocol.auth.AccessKeys;
import dev.vernier.dashboard.Dashboard;
import dev.vernier.protocol.http.ApiHandler;
import dev.vernier.protocol.http.ApiServer;
import dev.vernier.protocol.http.RequestAuthenticator;
import dev.vernier.protocol.http.RequestShapes;
import dev.vernier.protocol.sagemaker.CreateRequestRules;
import dev.vernier.protocol.sagemaker.SageMakerOperations;
import dev.vernier.protocol.sagemaker.StoredRequests;
import dev.vernier.server.config.Settings;
import dev.vernier.server.config.TrainingBackends;
import dev.vernier.service.BackendLaunchCheck;
import dev.vernier.service.TagService;
import dev.vernier.service.TrainingJobService;
import dev.vernier.service.TuningJobService;
import dev.vernier.service.controller.TuningController;
import dev.vernier.store.postgresql.PostgresDatabase;
import dev.vernier.store.postgresql.PostgresStore;
import dev.vernier.store.sqlite.SqliteStore;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/** The composition root: wires settings, store, services, controller and the HTTP front door. */
public final class VernierServer implements AutoCloseable {
    /** Requests served at once before ThrottlingException; well above what 2 cores can use. */
    private static final int MAX_IN_FLIGHT = 512;
    /** The longest a finished training job waits to be noticed when no process-exit wake-up arrives. */
    private static final long CONTROLLER_PERIOD_MILLIS = 100;

    private final Store store;
    private final TrainingBackend backend;
    private final TuningController controller;
    private final ApiServer http;
    private final DataDirectory dataDirectory;
    private final AccessKeys keys;
    private final ObjectStoreSetup objects;
    private Dashboard dashboard;

    private VernierServer(Store store, TrainingBackend backend, TuningController controller, ApiServer http,
                          DataDirectory dataDirectory, AccessKeys keys, ObjectStoreSetup objects) {
        this.store = store;
        this.backend = backend;
        this.controller = controller;
        this.http = http;
        this.dataDirectory = dataDirectory;
        this.keys = keys;
        this.objects = objects;
    }

    /**
     * Wires everything behind a listener that is already bound, on a data directory already claimed (so that a
     * taken port or a data directory in use stop the server before it has created anything). On failure the
     * caller closes {@code http} and {@code dataDirectory}.
     */
    public static VernierServer start(Settings settings, ApiServer http, DataDirectory dataDirectory, AccessKeys keys,
                                      RequestShapes shapes, RequestAuthenticator authenticator,
                                      Function<TuningJobService, CreateRequestRules> rules, Clock clock) {
        Store store = openStore(settings);
        // S3 clients sign with the server's own primary key when the directory store is served over S3.
        Optional<AccessKey> s3Key = Optional.of(keys.primary());
        TrainingBackend backend = null;
        ObjectStoreSetup objects = null;
        try {
            ResourceNames names = new ResourceNames(settings.region(), settings.accountId());
            objects = ObjectStoreSetup.open(settings, s3Key);
            backend = trainingBackend(settings, objects.store());
            TuningController controller = new TuningController(store, backend, new StoredRequests(), names, clock,
                    settings.training().maxConcurrentJobs());
            backend.onRunExit(controller::wake);
            TuningJobService tuning = new TuningJobService(store, names, new BackendLaunchCheck(backend, objects.store()), controller, clock);
            TrainingJobService training = new TrainingJobService(store, controller, backend);
            TagService tags = new TagService(store, names);
            SageMakerOperations operations = new SageMakerOperations(tuning, training, tags, rules.apply(tuning), names);
            ApiHandler handler = new ApiHandler(operations.operations(), operations.getRoutes(), shapes, authenticator,
                    settings.maxRequestBytes(), MAX_IN_FLIGHT, settings.network().maxRequestsPerClient(),
                    () -> storeProblem(store));
            http.start(handler);
            controller.start(CONTROLLER_PERIOD_MILLIS);
            VernierServer server = new VernierServer(store, backend, controller, http, dataDirectory, keys, objects);
            server.dashboard = dashboard(settings, shapes, tuning, training, operations,
                    StoredSignIns.importing(settings.dataDir().resolve("dashboard/signed-out"), store, clock), clock);
            http.mount(Dashboard.PATH, server.dashboard);
            return server;
        } catch (RuntimeException e) {
            if (backend != null) backend.close();
            if (objects != null) objects.close();
            store.close();
            throw e;
        }
    }

    /** What /ping reports beyond the front door: whether the store answers a read. */
    private static Optional<String> storeProblem(Store store) {
        try {
            store.tuningJob("vernier-health-check");
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("The store cannot be read: " + e.getMessage());
        }
    }

    /**
     * SQLite by default; a PostgreSQL database when {@code database} is a {@code postgresql://} URL, with the
     * password from database-password, else the environment's PGPASSWORD.
     */
    static Store openStore(Settings settings) {
        if (settings.databaseUrl().isEmpty()) return SqliteStore.open(settings.database());
        return PostgresStore.open(PostgresDatabase.parse(settings.databaseUrl().get(), settings.databasePassword(),
                System.getenv()));
    }

    /**
     * The backend the settings name, made by its factory. It keeps real time whatever the server's
     * clock: a test that moves the controller's clock moves deadlines of tuning jobs, not those of
     * running processes.
     */
    private static TrainingBackend trainingBackend(Settings settings, ObjectStore objectStore) {
        Settings.Training t = settings.training();
        return TrainingBackends.discovered().named(t.backend()).create(new TrainingBackendFactory.Context(
                t.backendSettings(), settings.dataDir(), objectStore, Clock.systemUTC(),
                t.stopGracePeriod(), t.logCapBytes()));
    }

    /** The web dashboard: the same services, the API's Create for "tune again", the server's access keys for sign-in. */
    private static Dashboard dashboard(Settings settings, RequestShapes shapes, TuningJobService tuning,
                                       TrainingJobService training, SageMakerOperations operations,
                                       StoredSignIns signIns, Clock clock) {
        var create = operations.operations().get("CreateHyperParameterTuningJob");
        Dashboard.TuningJobCreator creator = request -> create.invoke(
                shapes.validateInput("CreateHyperParameterTuningJob", request)).path("HyperParameterTuningJobArn").asText();
        AccessKeys keys = Vernier.accessKeys(settings);
        // Session cookies are signed with a key derived from the access keys, which every replica shares.
        byte[] sessionSecret = keys.keys().stream().sorted(java.util.Comparator.comparing(AccessKey::id))
                .map(k -> k.id() + "\n" + k.secret() + "\n").collect(java.util.stream.Collectors.joining())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Dashboard(new Dashboard.Parts(tuning, training, keys::secretFor, sessionSecret, signIns, signIns, creator,
                clock));
    }

    /** A one-time link path that signs a browser in to the dashboard (printed at start). */
    public String dashboardSignInPath() {
        return dashboard.signInPath("");
    }

    /** The same, opening the dashboard's {@code page} (e.g. {@code tuning-jobs/NAME}) once signed in. */
    public String dashboardSignInPath(String page) {
        return dashboard.signInPath(page);
    }

    public int port() {
        return http.port();
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return http.scheme();
    }

    /** The keys clients sign with (configured, or the data directory's). */
    public AccessKeys keys() {
        return keys;
    }

    /** Where the directory store is served over the S3 protocol, when it is. */
    public Optional<URI> s3Endpoint() {
        return objects.servedAt();
    }

    @Override
    public void close() {
        dashboard.close();
        http.close();
        controller.close();
        backend.close();
        objects.close();
        store.close();
        dataDirectory.close();
    }
}
