package io.truffles.agentrunner.health;

import io.truffles.agentrunner.config.AgentRunnerConfig;
import io.truffles.agentrunner.sandbox.AgentUser;
import io.truffles.agentrunner.sandbox.SandboxCommand;
import io.truffles.core.health.CommandProbe;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while bubblewrap can make a sandbox the way an agent's is made: as the agent user (when the runner is root),
 * every namespace unshared including a user namespace, no further ones allowed, its own hostname and /proc. This fails
 * where unprivileged user namespaces are off or a service manager's filter forbids what bwrap needs.
 */
@Readiness
@Singleton
public class SandboxReadiness implements HealthCheck {
    private final Optional<Path> bwrap;
    private final CommandProbe probe;

    @Inject
    SandboxReadiness(AgentRunnerConfig config, Clock clock) {
        this(SandboxCommand.findBwrap(), AgentUser.runnerIsRoot() ? AgentUser.lookup(config.agentUser())
                : Optional.empty(), clock);
    }

    SandboxReadiness(Optional<Path> bwrap, Optional<AgentUser> user, Clock clock) {
        this.bwrap = bwrap;
        this.probe = new CommandProbe(() -> command(bwrap.orElseThrow(), user), CommandProbe.REUSE, clock);
    }

    private static List<String> command(Path bwrap, Optional<AgentUser> user) {
        List<String> argv = new ArrayList<>();
        user.ifPresent(u -> argv.addAll(List.of("setpriv", "--reuid=" + u.uid(), "--regid=" + u.gid(),
                "--clear-groups", "--inh-caps=-all", "--no-new-privs", "--")));
        argv.addAll(List.of(bwrap.toString(), "--die-with-parent", "--new-session", "--unshare-all", "--unshare-user",
                "--disable-userns", "--hostname", "truffles-probe", "--cap-drop", "ALL", "--ro-bind", "/", "/",
                "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--", "true"));
        return argv;
    }

    @Override
    public HealthCheckResponse call() {
        if (bwrap.isEmpty()) {
            return HealthCheckResponse.named("sandbox").down().withData("error", "bubblewrap (bwrap) is not on the "
                    + "PATH, so agents would run unsandboxed: install it with apt-get install bubblewrap.").build();
        }
        return probe.problem()
                .map(problem -> HealthCheckResponse.named("sandbox").down().withData("error", "bubblewrap cannot "
                        + "create a sandbox (" + problem + "): allow unprivileged user namespaces "
                        + "(sysctl user.max_user_namespaces above 0; kernel.unprivileged_userns_clone=1 where it "
                        + "exists) and run the agent-runner with the unit systemd/install.sh installs.").build())
                .orElseGet(() -> HealthCheckResponse.named("sandbox").up().withData("bwrap", bwrap.get().toString())
                        .build());
    }
}
