package io.truffles.core.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Gives Quarkus' injected {@link ObjectMapper} the configuration of {@link JsonMapping}, before any service's own
 * customizer: the api's {@code DocumentJson} refuses unknown properties in request bodies, and must have the last word.
 */
@Singleton
class JsonMappingCustomizer implements ObjectMapperCustomizer {
    @Override
    public int priority() {
        // customizers with a higher priority are applied first
        return DEFAULT_PRIORITY + 100;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        JsonMapping.configure(mapper);
    }
}
