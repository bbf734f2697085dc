package io.truffles.agentrunner.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExcludedPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {".gitignore", "src/.gitattributes", ".gitmodules", ".github/workflows/ci.yml",
            ".gitlab-ci.yml", ".gitlab/ci/build.yml", ".circleci/config.yml", "Jenkinsfile", "ci/Jenkinsfile",
            "Jenkinsfile.release", ".travis.yml", "azure-pipelines.yml", "bitbucket-pipelines.yml", ".drone.yml",
            "appveyor.yml", ".buildkite/pipeline.yml", ".husky/pre-commit", ".ci", ".ci/run",
            ".truffles-evidence/issue.json", ".GitHub/workflows/x.yml"})
    void ciConfigurationGitFilesAndTheEvidenceAreExcluded(String path) {
        assertThat(AgentJob.excluded(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"src/cart.js", "README.md", "docs/github.md", "src/ci/build.js", "jenkins/notes.txt",
            "src/travis.yml", "lib/husky.js"})
    void productCodeIsNot(String path) {
        assertThat(AgentJob.excluded(path)).isFalse();
    }
}
