package dev.vernier.server;

import dev.vernier.backend.local.LocalBackendSettings;
import dev.vernier.backend.local.LocalTrainingBackend;
import dev.vernier.core.store.Store;
import dev.vernier.core.tuning.ResourceNames;
import dev.vernier.protocol.http.ApiHandler;
import dev.vernier.protocol.http.ApiServer;
import dev.vernier.protocol.http.RequestAuthenticator;
import dev.vernier.protocol.http.RequestShapes;
import dev.vernier.protocol.sagemaker.CreateRequestRules;
import dev.vernier.protocol.sagemaker.SageMakerOperations;
import dev.vernier.protocol.sagemaker.StoredRequests;
import dev.vernier.server.config.Settings;
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
    private final TuningController controller;
    private final ApiServer http;

    private VernierServer(Store store, TuningController controller, ApiServer http) {
        this.store = store;
        this.controller = controller;
        this.http = http;
    }

    public static VernierServer start(Settings settings, RequestShapes shapes, RequestAuthenticator authenticator,
                                      Function<TuningJobService, CreateRequestRules> rules, Clock clock) {
        Store store = SqliteStore.open(settings.database());
        try {
            ResourceNames names = new ResourceNames(settings.region(), settings.accountId());
            Settings.Training t = settings.training();
            LocalTrainingBackend backend = new LocalTrainingBackend(
                    LocalBackendSettings.defaults(settings.dataDir().resolve("jobs")).withImagePrograms(t.images())
                            .withLogCap(t.logCapBytes(), LocalBackendSettings.DEFAULT_LOG_TAIL_BYTES)
                            .withStopGracePeriod(t.stopGracePeriod()),
                    new DirectoryObjectStore(t.objectStoreDir()));
            TuningController controller = new TuningController(store, backend, new StoredRequests(), names, clock,
                    t.maxConcurrentJobs());
            backend.onRunExit(controller::wake);
            TuningJobService tuning = new TuningJobService(store, names, new BackendLaunchCheck(backend), controller, clock);
            TrainingJobService training = new TrainingJobService(store, controller, backend);
            TagService tags = new TagService(store, names);
            SageMakerOperations operations = new SageMakerOperations(tuning, training, tags, rules.apply(tuning), names);
            ApiHandler handler = new ApiHandler(operations.operations(), operations.getRoutes(), shapes, authenticator,
                    settings.maxRequestBytes(), MAX_IN_FLIGHT);
            ApiServer http = ApiServer.start(settings.bindAddress(), settings.port(), handler);
            controller.start(CONTROLLER_PERIOD_MILLIS);
            return new VernierServer(store, controller, http);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
        controller.close();
        store.close();
    }
}
