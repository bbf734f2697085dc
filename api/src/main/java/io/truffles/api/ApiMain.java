package io.truffles.api;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.truffles.core.config.EnvironmentCheck;

/** Starts the api service once the environment is known to be well-formed. */
@QuarkusMain
public final class ApiMain {
    private ApiMain() {
    }

    public static void main(String... args) {
        EnvironmentCheck.exitOnProblems("api");
        Quarkus.run(args);
    }
}
