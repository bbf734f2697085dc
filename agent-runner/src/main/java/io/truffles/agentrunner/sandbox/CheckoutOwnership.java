package io.truffles.agentrunner.sandbox;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Hands a checkout's files to the agent user, so the agent can change them and nothing else. The checkout's
 * {@code .git} file stays the runner's. Never follows a symbolic link.
 */
public final class CheckoutOwnership {
    private CheckoutOwnership() {
    }

    public static void handTo(Path checkout, AgentUser user) {
        Path dotGit = checkout.resolve(".git");
        try {
            Files.walkFileTree(checkout, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    own(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!file.equals(dotGit)) {
                        own(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                private void own(Path path) throws IOException {
                    Files.setAttribute(path, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(path, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("Cannot hand checkout " + checkout + " to user " + user.name() + ": "
                    + e.getMessage(), e);
        }
    }
}
