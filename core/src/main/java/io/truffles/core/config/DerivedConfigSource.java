package io.truffles.core.config;

import com.mongodb.ConnectionString;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Config Quarkus needs that the seed's environment only implies: the database name is the path of
 * {@code MONGODB_URI} (Quarkus wants it separately), and an {@code S3_ENDPOINT} means an S3-compatible server that
 * wants path-style addressing unless {@code S3_PATH_STYLE} says otherwise.
 */
public class DerivedConfigSource implements ConfigSource {
    static final String DEFAULT_DATABASE = "truffles";

    private final Map<String, String> properties;

    public DerivedConfigSource() {
        this(System.getenv());
    }

    DerivedConfigSource(Map<String, String> env) {
        Map<String, String> derived = new HashMap<>();
        derived.put("quarkus.mongodb.database", databaseName(env.get("MONGODB_URI")));
        String endpoint = env.get("S3_ENDPOINT");
        String pathStyle = env.get("S3_PATH_STYLE");
        if (pathStyle != null && !pathStyle.isBlank()) {
            derived.put("quarkus.s3.path-style-access", pathStyle.trim());
        } else if (endpoint != null && !endpoint.isBlank()) {
            derived.put("quarkus.s3.path-style-access", "true");
        }
        this.properties = Map.copyOf(derived);
    }

    /** The database a MongoDB URI names, {@code truffles} when it names none or does not parse (that is reported elsewhere). */
    public static String databaseName(String uri) {
        if (uri == null || uri.isBlank()) {
            return DEFAULT_DATABASE;
        }
        try {
            String database = new ConnectionString(uri.trim()).getDatabase();
            return database == null || database.isBlank() ? DEFAULT_DATABASE : database;
        } catch (IllegalArgumentException malformed) {
            return DEFAULT_DATABASE;
        }
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "truffles-derived";
    }

    /** Above the library defaults (100), below application.properties (250) and the environment (300). */
    @Override
    public int getOrdinal() {
        return 150;
    }
}
