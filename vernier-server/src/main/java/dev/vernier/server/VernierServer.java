package dev.vernier.server;

import dev.vernier.server.config.Settings;
import dev.vernier.server.http.ApiHandler;
import dev.vernier.server.http.ApiServer;
import dev.vernier.server.http.Operation;
import dev.vernier.server.http.RequestAuthenticator;
import dev.vernier.server.http.RequestShapes;
import dev.vernier.server.store.SqliteStore;
import dev.vernier.server.store.Store;
import dev.vernier.server.tuning.CreateRequestRules;
import dev.vernier.server.tuning.ResourceNames;
import dev.vernier.server.tuning.TagService;
import dev.vernier.server.tuning.TuningController;
import dev.vernier.server.tuning.BackendLaunchCheck;
import dev.vernier.server.tuning.TrainingJobService;
import dev.vernier.server.training.local.LocalBackendSettings;
import dev.vernier.server.training.local.LocalTrainingBackend;
import dev.vernier.server.objectstore.DirectoryObjectStore;
import dev.vernier.server.tuning.TuningJobService;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

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
                                      java.util.function.Function<Store, CreateRequestRules> rules, Clock clock) {
        Store store = SqliteStore.open(settings.database());
        try {
            ResourceNames names = new ResourceNames(settings.region(), settings.accountId());
            Settings.Training t = settings.training();
            LocalTrainingBackend backend = new LocalTrainingBackend(
                    LocalBackendSettings.defaults(settings.dataDir().resolve("jobs")).withImagePrograms(t.images())
                            .withLogCap(t.logCapBytes(), LocalBackendSettings.DEFAULT_LOG_TAIL_BYTES)
                            .withStopGracePeriod(t.stopGracePeriod()),
                    new DirectoryObjectStore(t.objectStoreDir()));
            TuningController controller = new TuningController(store, backend, names, clock, t.maxConcurrentJobs());
            backend.onRunExit(controller::wake);
            TuningJobService tuning = new TuningJobService(store, names, rules.apply(store), new BackendLaunchCheck(backend),
                    controller, clock);
            TrainingJobService training = new TrainingJobService(store, names, controller, backend);
            TagService tags = new TagService(store, names);
            Map<String, Operation> ops = new LinkedHashMap<>();
            ops.put("CreateHyperParameterTuningJob", tuning::create);
            ops.put("DescribeHyperParameterTuningJob", tuning::describe);
            ops.put("ListHyperParameterTuningJobs", tuning::list);
            ops.put("StopHyperParameterTuningJob", tuning::stop);
            ops.put("DeleteHyperParameterTuningJob", tuning::delete);
            ops.put("DescribeTrainingJob", training::describe);
            ops.put("ListTrainingJobs", training::list);
            ops.put("ListTrainingJobsForHyperParameterTuningJob", training::listForTuningJob);
            ops.put("StopTrainingJob", training::stop);
            ops.put("AddTags", tags::add);
            ops.put("ListTags", tags::list);
            ops.put("DeleteTags", tags::delete);
            ApiHandler handler = new ApiHandler(ops, Map.of("/v1/training-jobs/", training::log), shapes, authenticator, settings.maxRequestBytes(), MAX_IN_FLIGHT);
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
