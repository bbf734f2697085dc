package io.truffles.agentrunner.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.truffles.core.json.JsonMapping;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files that run on a reviewer's machine, or in CI with the repository's secrets, the moment someone opens, checks out
 * or installs the branch: editor and agent configuration ({@code .vscode/}, {@code .idea/}, {@code .claude/},
 * {@code .mcp.json}, {@code .devcontainer/}), {@code .envrc}, git hooks ({@code .githooks/}, {@code .husky/},
 * pre-commit), package-manager configuration, CI workflows, git's own files and the evidence folder. A change touching
 * one is refused: nothing is committed or pushed. Commands a reviewer runs by hand — {@code package.json} scripts and
 * Makefile targets — may be what a fix needs, so a change to them is committed but flagged at the top of the PR.
 */
final class ReviewerMachineFiles {
    /** Folders whose contents run or configure tools, at any depth. */
    private static final Set<String> FOLDERS = Set.of(".github", ".gitlab", ".circleci", ".buildkite", ".ci",
            ".husky", ".githooks", ".lefthook", ".vscode", ".idea", ".claude", ".devcontainer", ".cursor",
            EvidenceFolder.NAME);
    /** Files by name, wherever they are. */
    private static final Set<String> FILES = Set.of("jenkinsfile", ".travis.yml", "azure-pipelines.yml",
            "azure-pipelines.yaml", ".gitlab-ci.yml", "bitbucket-pipelines.yml", ".drone.yml", "appveyor.yml",
            ".appveyor.yml", ".mcp.json", ".envrc", ".pre-commit-config.yaml", "lefthook.yml", ".lefthook.yml",
            "lefthook.yaml", ".gitpod.yml", "devcontainer.json", ".devcontainer.json", ".npmrc", ".yarnrc",
            ".yarnrc.yml", ".pnpmfile.cjs", "bunfig.toml");
    private static final ObjectMapper JSON = JsonMapping.shared();
    /** A make rule's target(s) before its colon; not a variable assignment ({@code :=}, {@code ::=}). */
    private static final Pattern MAKE_TARGET = Pattern.compile("^([A-Za-z0-9_./%$(){}-][^:=#\\t]*?)\\s*::?(?!=)",
            Pattern.MULTILINE);

    private ReviewerMachineFiles() {
    }

    /** Whether the agent may not change this path (relative, '/'-separated). */
    static boolean refused(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        String[] segments = lower.split("/");
        String name = segments[segments.length - 1];
        for (int i = 0; i < segments.length - 1; i++) {
            if (FOLDERS.contains(segments[i])) {
                return true;
            }
        }
        return FOLDERS.contains(name) || name.startsWith(".git") || FILES.contains(name)
                || name.startsWith("jenkinsfile.");
    }

    /**
     * What the PR must point out for a reviewer: {@code package.json} scripts added or changed, Makefile targets
     * added.
     *
     * @param before the file's content at the branch point ({@code null} when new)
     * @param after  the file's content in the checkout ({@code null} when deleted)
     */
    static List<String> flags(List<String> files, Function<String, String> before, Function<String, String> after) {
        List<String> flags = new ArrayList<>();
        for (String file : files) {
            String name = file.substring(file.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            if (name.equals("package.json")) {
                Set<String> changed = changedScripts(before.apply(file), after.apply(file));
                if (!changed.isEmpty()) {
                    flags.add(file + ": scripts added or changed: " + String.join(", ", changed));
                }
            } else if (name.equals("makefile") || name.equals("gnumakefile") || name.endsWith(".mk")) {
                Set<String> added = targets(after.apply(file));
                added.removeAll(targets(before.apply(file)));
                if (!added.isEmpty()) {
                    flags.add(file + ": targets added: " + String.join(", ", added));
                }
            }
        }
        return flags;
    }

    private static Set<String> changedScripts(String before, String after) {
        Map<String, String> old = scripts(before);
        Map<String, String> now = scripts(after);
        Set<String> changed = new LinkedHashSet<>();
        now.forEach((name, command) -> {
            if (!Objects.equals(old.get(name), command)) {
                changed.add(name);
            }
        });
        return changed;
    }

    private static Map<String, String> scripts(String packageJson) {
        Map<String, String> scripts = new java.util.LinkedHashMap<>();
        if (packageJson == null) {
            return scripts;
        }
        try {
            JsonNode node = JSON.readTree(packageJson).path("scripts");
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                scripts.put(field.getKey(), field.getValue().toString());
            }
        } catch (IOException unreadable) {
            // a package.json that is not JSON runs no script; its change still shows in the diff
            scripts.put("(package.json is not valid JSON)", packageJson);
        }
        return scripts;
    }

    private static Set<String> targets(String makefile) {
        Set<String> targets = new LinkedHashSet<>();
        if (makefile == null) {
            return targets;
        }
        Matcher rule = MAKE_TARGET.matcher(makefile);
        while (rule.find()) {
            for (String target : rule.group(1).trim().split("\\s+")) {
                targets.add(target);
            }
        }
        return targets;
    }
}
