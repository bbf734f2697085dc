package io.truffles.poller;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.truffles.core.config.EnvironmentCheck;

/** Starts the poller service once the environment is known to be well-formed. */
@QuarkusMain
public final class PollerMain {
    private PollerMain() {
    }

    public static void main(String... args) {
        EnvironmentCheck.exitOnProblems("poller");
        Quarkus.run(args);
    }
}
