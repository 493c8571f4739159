package dev.vernier.server;

import software.amazon.awssdk.services.sagemaker.SageMakerClient;

final class ListingTestSupport {
    private ListingTestSupport() {}

    static int countAll(SageMakerClient sm) {
        return (int) sm.listHyperParameterTuningJobsPaginator(r -> r.maxResults(100)).hyperParameterTuningJobSummaries()
                .stream().count();
    }
}
