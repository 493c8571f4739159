package dev.vernier.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vernier.core.metrics.MetricPoint;
import dev.vernier.core.training.RunHandle;
import dev.vernier.core.tuning.MetricValue;
import dev.vernier.core.tuning.TrainingJob;
import dev.vernier.core.tuning.TrainingJobStatus;
import dev.vernier.core.tuning.TuningJob;
import dev.vernier.core.tuning.TuningJobStatus;
import dev.vernier.protocol.json.Json;
import dev.vernier.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fills a server's database with finished training jobs for the heap benchmark, through the
 * server's own Store and records, the way the controller writes them (add, then finish with the
 * metric points in one transaction). Each job is a copy of a real one: the first training job of
 * the tuning job {@code --template}, which the benchmark script ran for real beforehand; copies
 * get their own name, ARN, ordinal, learning rate, objective and metric series.
 *
 * <pre>java dev.vernier.bench.HeapSeed --database FILE --template NAME [--tuning-jobs 10] [--jobs-each 1000] [--points 5]</pre>
 */
public final class HeapSeed {
    public static void main(String[] args) {
        Path database = null;
        String template = null;
        int tuningJobs = 10, jobsEach = 1000, points = 5;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--database" -> database = Path.of(args[i + 1]);
                case "--template" -> template = args[i + 1];
                case "--tuning-jobs" -> tuningJobs = Integer.parseInt(args[i + 1]);
                case "--jobs-each" -> jobsEach = Integer.parseInt(args[i + 1]);
                case "--points" -> points = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        SplittableRandom random = new SplittableRandom(42);
        long t0 = System.nanoTime();
        try (SqliteStore store = SqliteStore.open(database)) {
            TuningJob tuning = store.tuningJob(template).orElseThrow();
            TrainingJob model = store.trainingJobsOf(template).getFirst();
            if (model.status() != TrainingJobStatus.COMPLETED) throw new IllegalStateException("template job not completed");
            for (int t = 0; t < tuningJobs; t++) {
                String name = String.format("heap-%02d", t);
                ObjectNode spec = Json.parseObject(tuning.spec());
                spec.put("HyperParameterTuningJobName", name);
                ((ObjectNode) spec.get("HyperParameterTuningJobConfig").get("ResourceLimits"))
                        .put("MaxNumberOfTrainingJobs", jobsEach);
                Instant created = tuning.creationTime().plusSeconds(t * 3600L);
                Instant ended = created.plusSeconds(3000);
                TuningJob seeded = new TuningJob(name, tuning.arn().replace(template, name), TuningJobStatus.COMPLETED,
                        tuning.strategy(), created, ended, ended, null, Json.write(spec), null, null, 0);
                store.createTuningJob(seeded, List.of());
                List<TrainingJob> starting = new ArrayList<>();
                for (int i = 1; i <= jobsEach; i++) {
                    String job = name + "-" + String.format("%03d", i) + "-" + HexFormat.of().toHexDigits(random.nextInt());
                    String lr = Double.toString(0.001 + 0.099 * random.nextDouble());
                    Map<String, String> hps = new LinkedHashMap<>(model.hyperParameters());
                    hps.put("lr", lr);
                    starting.add(TrainingJob.starting(job, model.arn().replace(model.name(), job), name, i,
                            model.definitionName(), hps, Map.of("lr", lr), null, model.definition(),
                            created.plusMillis(i * 3000L)));
                }
                store.addTrainingJobs(seeded, starting, null);
                for (TrainingJob s : starting) {
                    double lr = Double.parseDouble(s.tunedHyperParameters().get("lr"));
                    Instant start = s.creationTime().plusMillis(200);
                    List<MetricPoint> series = new ArrayList<>();
                    for (int e = 1; e <= points; e++)
                        series.add(new MetricPoint("loss", 1000 * (lr - 0.05) * (lr - 0.05) + 1.0 / e, start.plusMillis(300L * e)));
                    MetricPoint last = series.getLast();
                    RunHandle handle = new RunHandle(model.runHandle().value().replace(model.name(), s.name()));
                    TrainingJob done = s.launched(handle, start).finished(TrainingJobStatus.COMPLETED, "Completed",
                            null, false, handle, List.of(new MetricValue("loss", last.value(), last.timestamp())),
                            last.value(), model.modelArtifact().replace(model.name(), s.name()),
                            last.timestamp().plusMillis(50), 2L, "Training job completed");
                    if (!store.updateTrainingJob(done, series, null)) throw new IllegalStateException("not stored: " + s.name());
                }
                System.err.printf("%s: %d finished training jobs stored%n", name, jobsEach);
            }
        }
        System.out.printf("stored %d tuning jobs x %d finished training jobs (%d metric points each) in %.1f s%n",
                tuningJobs, jobsEach, points, (System.nanoTime() - t0) / 1e9);
    }
}
