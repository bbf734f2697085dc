package io.truffles.agentrunner;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.truffles.core.config.EnvironmentCheck;

/** Starts the agent-runner service once the environment is known to be well-formed. */
@QuarkusMain
public final class AgentRunnerMain {
    private AgentRunnerMain() {
    }

    public static void main(String... args) {
        EnvironmentCheck.exitOnProblems("agent-runner");
        Quarkus.run(args);
    }
}
