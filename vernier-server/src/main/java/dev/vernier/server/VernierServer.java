package dev.vernier.server;

import dev.vernier.core.objectstore.ObjectStore;
import dev.vernier.core.store.Store;
import dev.vernier.core.training.TrainingBackend;
import dev.vernier.core.training.TrainingBackendFactory;
import dev.vernier.core.tuning.ResourceNames;
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
import dev.vernier.store.sqlite.SqliteStore;
import dev.vernier.training.objectstore.DirectoryObjectStore;
import java.time.Clock;
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

    private VernierServer(Store store, TrainingBackend backend, TuningController controller, ApiServer http) {
        this.store = store;
        this.backend = backend;
        this.controller = controller;
        this.http = http;
    }

    public static VernierServer start(Settings settings, RequestShapes shapes, RequestAuthenticator authenticator,
                                      Function<TuningJobService, CreateRequestRules> rules, Clock clock) {
        Store store = SqliteStore.open(settings.database());
        TrainingBackend backend = null;
        try {
            ResourceNames names = new ResourceNames(settings.region(), settings.accountId());
            backend = trainingBackend(settings);
            TuningController controller = new TuningController(store, backend, new StoredRequests(), names, clock,
                    settings.training().maxConcurrentJobs());
            backend.onRunExit(controller::wake);
            TuningJobService tuning = new TuningJobService(store, names, new BackendLaunchCheck(backend, objectStore(settings)), controller, clock);
            TrainingJobService training = new TrainingJobService(store, controller, backend);
            TagService tags = new TagService(store, names);
            SageMakerOperations operations = new SageMakerOperations(tuning, training, tags, rules.apply(tuning), names);
            ApiHandler handler = new ApiHandler(operations.operations(), operations.getRoutes(), shapes, authenticator,
                    settings.maxRequestBytes(), MAX_IN_FLIGHT);
            ApiServer http = ApiServer.start(settings.bindAddress(), settings.port(), handler);
            controller.start(CONTROLLER_PERIOD_MILLIS);
            return new VernierServer(store, backend, controller, http);
        } catch (RuntimeException e) {
            if (backend != null) backend.close();
            store.close();
            throw e;
        }
    }

    /**
     * The backend the settings name, made by its factory. It keeps real time whatever the server's
     * clock: a test that moves the controller's clock moves deadlines of tuning jobs, not those of
     * running processes.
     */
    private static TrainingBackend trainingBackend(Settings settings) {
        Settings.Training t = settings.training();
        return TrainingBackends.discovered().named(t.backend()).create(new TrainingBackendFactory.Context(
                t.backendSettings(), settings.dataDir(), objectStore(settings), Clock.systemUTC(),
                t.stopGracePeriod(), t.logCapBytes()));
    }

    /** The object store of channels and artifacts (a directory store keeps no state: one per use is the same store). */
    private static ObjectStore objectStore(Settings settings) {
        return new DirectoryObjectStore(settings.training().objectStoreDir());
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
        controller.close();
        backend.close();
        store.close();
    }
}
