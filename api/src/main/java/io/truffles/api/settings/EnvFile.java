package io.truffles.api.settings;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code .env} file the launcher sources as shell and systemd reads as {@code EnvironmentFile=}. Updates keep
 * every other line (comments, blank lines, order) as it was and replace the file atomically: a temporary file beside
 * it, written, fsynced, given mode 0600, then renamed over it, then the directory fsynced. A crash at any point leaves
 * either the old file whole or the new one whole.
 */
public final class EnvFile {
    private static final Pattern ASSIGNMENT = Pattern.compile("^(\\s*(?:export\\s+)?)([A-Za-z_][A-Za-z0-9_]*)=(.*)$");
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@+-]*");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /**
     * What any reader of the file could take for the end of a line: CR and LF, NUL, and what other languages' line
     * splitters also break on (VT, FF, the file/group/record separators, NEL U+0085, U+2028, U+2029). A value holding
     * one could end its line there and start an assignment of its own.
     */
    private static final String LINE_BREAKS = "\n\r\u0000\u000B\u000C\u001C\u001D\u001E\u0085\u2028\u2029";

    private final Path file;

    public EnvFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** The temporary file an update writes first; a leftover from a crash is overwritten by the next update. */
    Path temporary() {
        return file.resolveSibling(file.getFileName() + ".truffles-tmp");
    }

    /** The values the file assigns, unquoted as the shell would; an absent file assigns nothing. */
    public Map<String, String> read() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return values;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher assignment = ASSIGNMENT.matcher(line);
            if (assignment.matches()) {
                values.put(assignment.group(2), unquote(assignment.group(3)));
            }
        }
        return values;
    }

    /** Called between writing the temporary file and renaming it over the real one; tests crash the process here. */
    @FunctionalInterface
    public interface BeforeRename {
        void run(Path temporary) throws IOException;
    }

    public void update(Map<String, String> changes) throws IOException {
        update(changes, temporary -> {
        });
    }

    /** Sets each key to its value, in place where the file assigns it, appended at the end where it does not. */
    public void update(Map<String, String> changes, BeforeRename beforeRename) throws IOException {
        for (Map.Entry<String, String> change : changes.entrySet()) {
            if (!change.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("Not an environment variable name: " + change.getKey());
            }
            if (hasLineBreak(change.getValue())) {
                throw new IllegalArgumentException(change.getKey() + " contains a line break or NUL");
            }
        }
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        List<String> updated = new ArrayList<>(lines.size() + changes.size());
        Set<String> written = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher assignment = ASSIGNMENT.matcher(line);
            if (assignment.matches() && changes.containsKey(assignment.group(2))) {
                String key = assignment.group(2);
                if (written.add(key)) {
                    updated.add(assignment.group(1) + key + "=" + quote(changes.get(key)));
                }
                // a second assignment of the same key would override ours when sourced: drop it
            } else {
                updated.add(line);
            }
        }
        for (Map.Entry<String, String> change : changes.entrySet()) {
            if (!written.contains(change.getKey())) {
                updated.add(change.getKey() + "=" + quote(change.getValue()));
            }
        }
        StringBuilder content = new StringBuilder();
        for (String line : updated) {
            content.append(line).append('\n');
        }
        replace(content.toString().getBytes(StandardCharsets.UTF_8), beforeRename);
    }

    private void replace(byte[] content, BeforeRename beforeRename) throws IOException {
        Path temporary = temporary();
        Files.deleteIfExists(temporary);
        // created 0600 from the first byte, so the secrets are never readable by others, not even briefly
        try (FileChannel channel = FileChannel.open(temporary,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.setPosixFilePermissions(temporary, OWNER_ONLY);
        beforeRename.run(temporary);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path directory = file.toAbsolutePath().getParent();
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException notSupported) {
            // some file systems cannot fsync a directory; the rename itself is still atomic
        }
    }

    /** Whether the value holds a character some reader of {@code .env} would end a line at. */
    public static boolean hasLineBreak(String value) {
        return value.chars().anyMatch(c -> LINE_BREAKS.indexOf(c) >= 0);
    }

    /** As the value is written: bare when the shell would read it unchanged, single-quoted otherwise. */
    static String quote(String value) {
        if (SHELL_SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Reads a value as {@code sh} would for the quoting forms .env files use: bare, '...', "..." and \-escapes. */
    static String unquote(String raw) {
        StringBuilder value = new StringBuilder();
        String text = raw.strip();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                end = end < 0 ? text.length() : end;
                value.append(text, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < text.length()
                            && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
                        i++;
                    }
                    value.append(text.charAt(i));
                    i++;
                }
                i++;
            } else if (c == '\\' && i + 1 < text.length()) {
                value.append(text.charAt(i + 1));
                i += 2;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                break;
            } else if (Character.isWhitespace(c)) {
                break;
            } else {
                value.append(c);
                i++;
            }
        }
        return value.toString();
    }
}
