package io.truffles.analyzer;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.truffles.core.config.EnvironmentCheck;

/** Starts the analyzer service once the environment is known to be well-formed. */
@QuarkusMain
public final class AnalyzerMain {
    private AnalyzerMain() {
    }

    public static void main(String... args) {
        EnvironmentCheck.exitOnProblems("analyzer");
        Quarkus.run(args);
    }
}
