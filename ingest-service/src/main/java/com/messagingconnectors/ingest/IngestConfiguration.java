package com.messagingconnectors.ingest;

import com.messagingconnectors.config.http.BodyLimits;
import com.messagingconnectors.config.http.HttpLimitsProperties;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Ingest's request body limits for config-core's shared filter: its own per-endpoint sizes, the shared read time. */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    /** ingest.max-event-bytes everywhere (the smaller limit), ingest.max-batch-bytes for the batch endpoint. */
    @Bean
    BodyLimits bodyLimits(IngestProperties ingest, HttpLimitsProperties http) {
        return new BodyLimits(ingest.maxEventBytes().toBytes(),
                Map.of("/v1/events:batch", ingest.maxBatchBytes().toBytes()), http.bodyReadTimeout());
    }
}
