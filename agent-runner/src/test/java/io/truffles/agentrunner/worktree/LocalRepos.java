package io.truffles.agentrunner.worktree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A bare repository standing in for GitHub as {@code origin}, and the runner's clone of it, made with the real git. */
public record LocalRepos(Path origin, Path cloneDir, Path worktreeBase) {

    public static LocalRepos create(Path root) throws IOException {
        return create(root, 0);
    }

    /**
     * With {@code extraFiles} more files in the first commit (benchmarks use 10,000). The first commit is written
     * straight into the bare origin with {@code git fast-import}: creating 10,000 files on this machine's disk just to
     * commit them took a minute, and only the clone and the worktrees are what the tests look at.
     */
    public static LocalRepos create(Path root, int extraFiles) throws IOException {
        Path origin = root.resolve("origin.git");
        Path clone = root.resolve("clone");
        GitCli.run(root, "init", "--bare", "--initial-branch=main", origin.toString());
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put("README.md", "# shop\n");
        files.put("src/cart.js", "export function total(items) {\n  return items.reduce((s, i) => s + i.price, 0);\n}\n");
        for (int i = 0; i < extraFiles; i++) {
            files.put("pages/p" + (i / 500) + "/f" + i + ".txt", "file " + i + "\n");
        }
        fastImport(origin, files);
        GitCli.run(root, "clone", "-q", origin.toString(), clone.toString());
        return new LocalRepos(origin, clone, root.resolve("worktrees"));
    }

    private static void fastImport(Path bare, java.util.Map<String, String> files) throws IOException {
        Process process = new ProcessBuilder("git", "-C", bare.toString(), "fast-import", "--quiet")
                .redirectErrorStream(true).start();
        try (java.io.OutputStream in = new java.io.BufferedOutputStream(process.getOutputStream(), 1 << 16)) {
            int mark = 0;
            for (String content : files.values()) {
                byte[] data = content.getBytes(StandardCharsets.UTF_8);
                in.write(("blob\nmark :" + (++mark) + "\ndata " + data.length + "\n").getBytes(StandardCharsets.UTF_8));
                in.write(data);
                in.write('\n');
            }
            in.write(("commit refs/heads/main\ncommitter seed <seed@example.test> 1700000000 +0000\ndata 5\nfirst\n")
                    .getBytes(StandardCharsets.UTF_8));
            mark = 0;
            for (String path : files.keySet()) {
                in.write(("M 100644 :" + (++mark) + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            }
            in.write('\n');
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException("git fast-import failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Runs git in {@code directory} and answers its output (test assertions read branches and logs this way). */
    public static String git(Path directory, String... args) {
        return GitCli.run(directory, args);
    }
}
