package io.truffles.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.truffles.core.documents.FalseAlarm;
import io.truffles.core.documents.Issue;
import io.truffles.core.documents.Queued;
import io.truffles.core.documents.Settings;
import jakarta.inject.Singleton;
import java.io.IOException;
import org.bson.types.ObjectId;

/**
 * Documents go out with the seed's field names: {@code _id} as in the collections, ObjectIds as hex strings, dates as
 * ISO-8601. Request bodies with fields we do not know are refused, so a typo never silently does nothing.
 */
@Singleton
public class DocumentJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("truffles-documents");
        module.addSerializer(ObjectId.class, new JsonSerializer<>() {
            @Override
            public void serialize(ObjectId id, JsonGenerator generator, SerializerProvider provider)
                    throws IOException {
                generator.writeString(id.toHexString());
            }
        });
        mapper.registerModule(module);
        mapper.addMixIn(Queued.class, IdMixin.class);
        mapper.addMixIn(Issue.class, IdMixin.class);
        mapper.addMixIn(FalseAlarm.class, IdMixin.class);
        mapper.addMixIn(Settings.class, IdMixin.class);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    abstract static class IdMixin {
        @JsonProperty("_id")
        Object id;
    }
}
