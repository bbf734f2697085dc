package io.truffles.agentrunner.worktree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark: worktree create (fetch + add) and remove on a repository of 10,000 files, printed. Figures are taken on
 * a 2-core machine shared with other builds, so they are upper bounds.
 */
class WorktreeBenchmarkIT {
    static final int FILES = 10_000;
    static final int ROUNDS = 3;

    @TempDir
    Path root;

    @Test
    void worktreeCreateAndRemoveOnTenThousandFiles() throws Exception {
        LocalRepos repos = LocalRepos.create(root, FILES);
        Worktrees worktrees = new Worktrees(repos.cloneDir(), repos.worktreeBase());
        List<Long> creates = new ArrayList<>();
        List<Long> removes = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            String base = worktrees.fetchDefaultBranch();
            Worktree worktree = worktrees.create("bench" + i, "truffles/fix-bench" + i, base);
            creates.add((System.nanoTime() - start) / 1_000_000);
            try (Stream<Path> files = Files.walk(worktree.path().resolve("pages"))) {
                assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(FILES);
            }
            start = System.nanoTime();
            worktrees.remove("bench" + i, "truffles/fix-bench" + i);
            removes.add((System.nanoTime() - start) / 1_000_000);
            assertThat(worktree.path()).doesNotExist();
        }
        Collections.sort(creates);
        Collections.sort(removes);
        System.out.printf("BENCHMARK worktree on %,d files (%d rounds, shared 2-core machine, load average %s): "
                + "create (fetch+add) median %d ms, max %d ms; remove median %d ms, max %d ms%n",
                FILES + 2, ROUNDS, String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" "))
                        .subList(0, 3)), creates.get(ROUNDS / 2), creates.get(ROUNDS - 1), removes.get(ROUNDS / 2),
                removes.get(ROUNDS - 1));
    }
}
