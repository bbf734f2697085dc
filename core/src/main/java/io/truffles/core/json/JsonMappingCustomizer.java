package io.truffles.core.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** Gives Quarkus' injected {@link ObjectMapper} the configuration of {@link JsonMapping}. */
@Singleton
class JsonMappingCustomizer implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        JsonMapping.configure(mapper);
    }
}
