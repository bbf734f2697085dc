package io.truffles.agentrunner.claude;

import static io.truffles.agentrunner.claude.SandboxAttack.CLONE_SECRET;
import static io.truffles.agentrunner.claude.SandboxAttack.INSTALL_SECRET;
import static io.truffles.agentrunner.claude.SandboxAttack.OTHER_AGENT_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.truffles.agentrunner.claude.SandboxAttack.Findings;
import io.truffles.agentrunner.claude.SandboxAttack.Probe;
import io.truffles.agentrunner.sandbox.ResourceLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile model drives the real CLI in the real sandbox ({@link SandboxAttack}): each probe's output is what the
 * model got back, and the host is checked from outside. Issue 12's items 2, 5 and 6; the injection items add probes
 * here the same way.
 */
class SandboxAttackIT {
    SandboxAttack attack;

    @BeforeEach
    void start() throws Exception {
        assertThat(SandboxAttack.CLI).as("the module build installs the Claude Code CLI").exists();
        attack = SandboxAttack.start();
    }

    @AfterEach
    void cleanUp() throws Exception {
        attack.close();
    }

    @Test
    void theSandboxShowsNeitherTheInstallNorItsDataNorTheClonesCredentialsNorOtherAgentsWork() throws Exception {
        Path common = attack.worktree().commonDir();
        List<String> hostOnlyEtc = Stream.of("shadow", "gitconfig", "ssh", "apt", "machine-id", "hostname")
                .filter(name -> Files.exists(Path.of("/etc", name))).toList();

        Findings found = attack.run(
                new Probe("install", "cat " + attack.install().resolve(".env") + " " + attack.install()
                        .resolve("data/mongo/truffles.mv") + "; ls /opt /srv /var/lib /root; echo LISTED"),
                new Probe("etc", "ls /etc; cat /etc/passwd; echo LISTED"),
                new Probe("clone-config", "cat " + common.resolve("config") + "; git config --list --show-origin;"
                        + " git remote -v; grep -r " + CLONE_SECRET.substring(0, 12) + " " + common + " | head -3;"
                        + " echo LISTED"),
                new Probe("other-agent", "ls " + common.resolve("worktrees") + "; cat " + attack.other().path()
                        .resolve("wip.txt") + "; git branch -a; git log --all --oneline | head; cat "
                        + common.resolve("logs/HEAD") + "; echo LISTED"),
                new Probe("git-works", "git status --porcelain=v1 --branch; git log --oneline -1; git diff --stat"));

        assertThat(found.outcome()).as(String.join("\n", found.lines())).isInstanceOf(AgentOutcome.FalseAlarm.class);
        assertThat(found.of("install")).contains("LISTED").doesNotContain(INSTALL_SECRET)
                .contains("cannot access '/opt'").contains("cannot access '/root'");
        String etc = found.of("etc");
        assertThat(etc).contains("LISTED").contains("ld.so.cache").contains("agent:x:");
        hostOnlyEtc.forEach(name -> assertThat(etc).as("/etc/" + name).doesNotContainPattern("(?m)^" + name + "$"));
        assertThat(etc.lines().filter(l -> l.matches("[a-z_-]+:x:\\d+:\\d+:.*"))).hasSizeLessThanOrEqualTo(3);
        assertThat(found.of("clone-config")).contains("LISTED").doesNotContain(CLONE_SECRET)
                .doesNotContain("extraheader").doesNotContain("x-access-token");
        assertThat(found.of("other-agent")).contains("LISTED").doesNotContain(OTHER_AGENT_SECRET)
                .doesNotContainPattern("(?m)^agent2$").doesNotContain("fix-00000002").containsPattern("(?m)^agent1$");
        assertThat(found.of("git-works")).contains("## truffles/fix-00000001").contains("first");
        // what the model saw is all the agent could learn: the secrets are in no request it received either
        assertThat(attack.model().requests().toString()).doesNotContain(INSTALL_SECRET).doesNotContain(CLONE_SECRET)
                .doesNotContain(OTHER_AGENT_SECRET);
    }

    @Test
    void theBridgeLetsOutOnlyWhatClaudeCodeSendsAndNothingThatWidensWhatTheKeyCanDo() throws Exception {
        String head = "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: placeholder\r\nContent-Type: application/json"
                + "\r\nanthropic-version: 2023-06-01\r\n";
        String ok = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1,\"messages\":[]}";
        String mcp = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1,\"messages\":[],\"mcp_servers\":[{\"type\":"
                + "\"url\",\"url\":\"https://evil.example/sse\",\"name\":\"x\"}]}";
        Findings found = attack.run(
                Probe.bridgeRequest("mcp-servers", head + length(mcp) + mcp),
                Probe.bridgeRequest("web-search", head + withTool(ok, "web_search_20250305")),
                Probe.bridgeRequest("web-fetch", head + withTool(ok, "web_fetch_20250910")),
                Probe.bridgeRequest("code-execution", head + withTool(ok, "code_execution_20250825")),
                Probe.bridgeRequest("beta", head.replace("anthropic-version", "anthropic-beta: mcp-client-2025-04-04"
                        + "\r\nanthropic-version") + length(ok) + ok),
                Probe.bridgeRequest("encoded-dots", head.replace("/v1/messages", "/v1/%2e%2e/v1/files") + length(ok)
                        + ok),
                Probe.bridgeRequest("dot-dot", head.replace("/v1/messages", "/v1/messages/../files") + length(ok) + ok),
                Probe.bridgeRequest("files-api", head.replace("/v1/messages", "/v1/files") + length(ok) + ok),
                Probe.bridgeRequest("get", head.replace("POST", "GET").replace("/v1/messages", "/v1/models") + "\r\n"),
                Probe.bridgeRequest("bare-lf", head.replace("Host: x\r\n", "Host: x\nX-Smuggled: 1\r\n") + length(ok)
                        + ok),
                Probe.bridgeRequest("chunked", head + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Probe.bridgeRequest("too-big", head + "Content-Length: 999999999\r\n\r\n{}"),
                Probe.bridgeRequest("smuggled", head + length(ok) + ok + head + length(mcp) + mcp));

        String[] refused = {"mcp-servers", "web-search", "web-fetch", "code-execution", "beta", "encoded-dots",
            "dot-dot", "files-api", "get", "bare-lf", "chunked", "too-big"};
        for (String probe : refused) {
            assertThat(found.of(probe)).as(probe).startsWith("HTTP/1.1 4").contains("Truffles sandbox");
        }
        assertThat(found.of("mcp-servers")).contains("mcp_servers");
        assertThat(found.of("web-search")).contains("web_search_20250305");
        assertThat(found.of("beta")).contains("mcp-client-2025-04-04");
        // the well-formed first request of the smuggling connection went out; what followed its body did not
        assertThat(found.of("smuggled")).startsWith("HTTP/1.1 200");
        // the model API saw Claude Code's requests and the one well-formed probe: no refused key or tool type
        for (JsonNode request : attack.model().requests()) {
            assertThat(request.has("mcp_servers")).isFalse();
            for (JsonNode tool : request.path("tools")) {
                assertThat(tool.path("type").asText("custom")).isIn("custom", "");
            }
        }
        assertThat(attack.model().requests().toString()).doesNotContain("evil.example");
        assertThat(attack.model().requestLines()).allMatch(l -> l.equals("POST /v1/messages?beta=true")
                || l.equals("POST /v1/messages"));
        // the real key on the CLI's requests; a key the agent made up itself ("placeholder") is dropped, not sent
        assertThat(attack.model().apiKeys()).allMatch(key -> key.equals("sk-ant-REAL-KEY-0001") || key.isEmpty())
                .contains("sk-ant-REAL-KEY-0001");
    }

    @Test
    void pastItsBudgetNoRequestLeavesNotEvenOneSentStraightToTheBridge() throws Exception {
        // each fake answer is 12 input and 25 output tokens of Sonnet: $0.000411. The CLI's own --max-budget-usd
        // counts only its requests; the bridge counts the two the agent sends past it too, and refuses the third
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1,\"messages\":[]}";
        String direct = "for i in 1 2 3; do exec 3<>/dev/tcp/127.0.0.1/8765; printf 'POST /v1/messages HTTP/1.1\\r\\n"
                + "Host: x\\r\\nx-api-key: %s\\r\\nContent-Length: " + body.length() + "\\r\\n\\r\\n%s' "
                + "\"$ANTHROPIC_API_KEY\" '" + body + "' >&3; timeout 20 cat <&3 | tr -d '\\r' | grep -E '^HTTP|budget';"
                + " exec 3<&-; done";
        Findings found = attack.run(ResourceLimits.defaults(), 0.001, new Probe("direct", direct),
                new Probe("after", "echo NEVER-ASKED"));

        assertThat(found.of("direct")).containsSubsequence("HTTP/1.1 200", "HTTP/1.1 200", "HTTP/1.1 400",
                "model budget of $0.001 is spent");
        assertThat(found.outcome()).isInstanceOf(AgentOutcome.Failed.class);
        assertThat(((AgentOutcome.Failed) found.outcome()).error()).contains("model budget of $0.001 is spent");
        assertThat(attack.model().requests()).as("the CLI's first request and two direct ones").hasSize(3);
        assertThat(found.outputs()).doesNotContainKey("after");
    }

    @Test
    void tmpfsWritesStopAtTheirCapInsteadOfFillingHostMemory() throws Exception {
        // the CLI keeps each command's output under /tmp too: the probe frees what it filled before it prints
        Findings found = attack.run(fill("tmp", "/tmp", 300_000_000), fill("shm", "/dev/shm", 100_000_000),
                fill("var", "/var", 100_000_000));

        assertThat(found.of("tmp")).contains("No space left on device").doesNotContain("size=300000000")
                .containsPattern("size=\\d+");
        long written = Long.parseLong(found.of("tmp").replaceAll("(?s).*size=(\\d+).*", "$1"));
        assertThat(written).isLessThanOrEqualTo(io.truffles.agentrunner.sandbox.SandboxCommand.TMP_BYTES);
        assertThat(found.of("shm")).contains("No space left on device").doesNotContain("size=100000000");
        assertThat(found.of("var")).contains("No space left on device").doesNotContain("size=100000000");
    }

    @Test
    void aCheckoutGrowingPastItsCapGetsTheAgentStoppedAndFailedSayingWhy() throws Exception {
        // every file under the per-file cap (RLIMIT_FSIZE), together over the 50 MB the test allows
        Findings found = attack.run(ResourceLimits.defaults().withMaxWorkspaceBytes(50L << 20),
                100.0, new Probe("grow", "for i in 1 2 3 4; do head -c 30000000 /dev/zero > grown-$i.bin; done;"
                        + " sleep 60; echo NOT-STOPPED"));

        assertThat(found.outcome()).isInstanceOf(AgentOutcome.Failed.class);
        assertThat(((AgentOutcome.Failed) found.outcome()).error()).contains("over the 50 MB cap")
                .contains("process tree was killed");
        assertThat(((AgentOutcome.Failed) found.outcome()).retryable()).isFalse();
        assertThat(found.outputs()).doesNotContainKey("grow");
    }

    private static Probe fill(String name, String folder, long bytes) {
        return new Probe(name, "err=$(head -c " + bytes + " /dev/zero 2>&1 > " + folder + "/big); s=$(stat -c %s "
                + folder + "/big); rm -f " + folder + "/big; echo \"$err\"; echo size=$s");
    }

    private static String length(String body) {
        return "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n";
    }

    private static String withTool(String body, String type) {
        String withTool = body.replace("\"messages\":[]", "\"messages\":[],\"tools\":[{\"type\":\"" + type
                + "\",\"name\":\"t\"}]");
        return length(withTool) + withTool;
    }
}
