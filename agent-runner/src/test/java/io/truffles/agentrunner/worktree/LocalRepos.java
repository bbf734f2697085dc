package io.truffles.agentrunner.worktree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A bare repository standing in for GitHub as {@code origin}, and the runner's clone of it, made with the real git. */
public record LocalRepos(Path origin, Path cloneDir, Path worktreeBase) {

    public static LocalRepos create(Path root) throws IOException {
        return create(root, 0);
    }

    /** With {@code extraFiles} more files in the first commit (benchmarks use 10,000). */
    public static LocalRepos create(Path root, int extraFiles) throws IOException {
        Path origin = root.resolve("origin.git");
        Path seed = root.resolve("seed");
        Path clone = root.resolve("clone");
        GitCli.run(root, "init", "--bare", "--initial-branch=main", origin.toString());
        GitCli.run(root, "init", "--initial-branch=main", seed.toString());
        Files.writeString(seed.resolve("README.md"), "# shop\n");
        Files.createDirectories(seed.resolve("src"));
        Files.writeString(seed.resolve("src/cart.js"),
                "export function total(items) {\n  return items.reduce((s, i) => s + i.price, 0);\n}\n",
                StandardCharsets.UTF_8);
        for (int i = 0; i < extraFiles; i++) {
            Path file = seed.resolve("pages/p" + (i / 500) + "/f" + i + ".txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "file " + i + "\n");
        }
        GitCli.run(seed, "add", ".");
        GitCli.run(seed, "-c", "user.name=seed", "-c", "user.email=seed@example.test", "commit", "-q", "-m", "first");
        GitCli.run(seed, "push", "-q", origin.toString(), "main");
        GitCli.run(root, "clone", "-q", origin.toString(), clone.toString());
        return new LocalRepos(origin, clone, root.resolve("worktrees"));
    }

    /** Runs git in {@code directory} and answers its output (test assertions read branches and logs this way). */
    public static String git(Path directory, String... args) {
        return GitCli.run(directory, args);
    }
}
