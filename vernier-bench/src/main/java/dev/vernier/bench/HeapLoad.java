package dev.vernier.bench;

import java.net.URI;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;

/**
 * The read load of the heap benchmark, for {@code --seconds}: {@code --threads} clients that each
 * repeatedly describe every tuning job, page through all training jobs of one tuning job (sorted
 * by objective, 100 a page), page through ListTrainingJobs, and describe 50 random training jobs.
 *
 * <pre>java dev.vernier.bench.HeapLoad --endpoint URL [--seconds 60] [--threads 4]</pre>
 */
public final class HeapLoad {
    public static void main(String[] args) throws Exception {
        String endpoint = null;
        int seconds = 60, threads = 4;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--endpoint" -> endpoint = args[i + 1];
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        URI uri = URI.create(endpoint);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong calls = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> clients = new java.util.ArrayList<>();
        for (int c = 0; c < threads; c++) {
            int seed = c;
            clients.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                try (SageMakerClient sm = client(uri)) {
                    List<String> tunings = sm.listHyperParameterTuningJobsPaginator(r -> r.maxResults(100))
                            .hyperParameterTuningJobSummaries().stream().map(s -> s.hyperParameterTuningJobName()).toList();
                    while (System.nanoTime() < deadline) {
                        for (String t : tunings) {
                            sm.describeHyperParameterTuningJob(r -> r.hyperParameterTuningJobName(t));
                            calls.incrementAndGet();
                        }
                        String t = tunings.get(random.nextInt(tunings.size()));
                        List<String> jobs = sm.listTrainingJobsForHyperParameterTuningJobPaginator(r -> r
                                        .hyperParameterTuningJobName(t).sortBy("FinalObjectiveMetricValue").maxResults(100))
                                .trainingJobSummaries().stream().map(HyperParameterTrainingJobSummary::trainingJobName).toList();
                        calls.addAndGet(jobs.size() / 100 + 1);
                        long listed = sm.listTrainingJobsPaginator(r -> r.maxResults(100)).trainingJobSummaries()
                                .stream().count();
                        calls.addAndGet(listed / 100 + 1);
                        for (int i = 0; i < 50; i++) {
                            String j = jobs.get(random.nextInt(jobs.size()));
                            sm.describeTrainingJob(r -> r.trainingJobName(j));
                            calls.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : clients) f.get();
        pool.shutdown();
        System.out.printf("%d calls in %d s by %d clients%n", calls.get(), seconds, threads);
    }

    private static SageMakerClient client(URI endpoint) {
        return SageMakerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        System.getenv("VERNIER_ACCESS_KEY_ID"), System.getenv("VERNIER_SECRET_ACCESS_KEY"))))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }
}
