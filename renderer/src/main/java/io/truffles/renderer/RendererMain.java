package io.truffles.renderer;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.truffles.core.config.EnvironmentCheck;

/** Starts the renderer service once the environment is known to be well-formed. */
@QuarkusMain
public final class RendererMain {
    private RendererMain() {
    }

    public static void main(String... args) {
        EnvironmentCheck.exitOnProblems("renderer");
        Quarkus.run(args);
    }
}
