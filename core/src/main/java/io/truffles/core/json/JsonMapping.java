package io.truffles.core.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson configuration: {@code java.time} values as ISO text, unknown properties ignored (documents and
 * recordings grow fields). Quarkus' injected {@link ObjectMapper} gets it through {@link JsonMappingCustomizer}; code
 * that cannot be injected (static parsing helpers, child processes) uses {@link #shared()}.
 */
public final class JsonMapping {
    private static final ObjectMapper SHARED = configure(new ObjectMapper());

    private JsonMapping() {
    }

    /** The shared mapper of code outside CDI; thread-safe once configured, so never reconfigure it. */
    public static ObjectMapper shared() {
        return SHARED;
    }

    static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
