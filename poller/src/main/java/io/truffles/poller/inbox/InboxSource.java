package io.truffles.poller.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.truffles.poller.RecordingSource;
import io.truffles.poller.importing.ImportOutcome;
import io.truffles.poller.importing.RecordingImport;
import io.truffles.poller.importing.SessionImporter;
import io.truffles.poller.importing.UnusableRecordingException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The embedded default's recording source: a folder where dropping an rrweb recording (a JSON array of events, or
 * PostHog JSONL lines) creates a session through the same import as PostHog's. A processed file is moved to
 * {@code done/}, or to {@code failed/} beside a {@code .reason.txt}, so it is never read twice. The session id is a
 * hash of the file's content, so a crash between importing and moving the file imports nothing twice.
 */
public final class InboxSource implements RecordingSource {
    private static final Logger LOG = Logger.getLogger(InboxSource.class);
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    private static final String SAMPLES_MARKER = ".samples-copied";
    /** Bundled real recordings (rrweb in Chromium, see tools/rrweb-recorder). */
    private static final List<String> SAMPLES = List.of("checkout-rage-click.rrweb.json");

    private final Path inbox;
    private final SessionImporter importer;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration settle;
    private final Duration interval;

    public InboxSource(Path inbox, SessionImporter importer, ObjectMapper json, Clock clock, Duration settle,
            Duration interval) {
        this.interval = interval;
        this.inbox = inbox;
        this.importer = importer;
        this.json = json;
        this.clock = clock;
        this.settle = settle;
    }

    @Override
    public String name() {
        return RecordingImport.INBOX;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    public Path folder() {
        return inbox;
    }

    /** Copies the bundled samples into the inbox once in its life (the marker stays when they are processed). */
    public void copySamplesOnce() throws IOException {
        Files.createDirectories(inbox);
        Path marker = inbox.resolve(SAMPLES_MARKER);
        if (Files.exists(marker)) {
            return;
        }
        for (String sample : SAMPLES) {
            try (InputStream in = InboxSource.class.getResourceAsStream("/samples/" + sample)) {
                if (in != null) {
                    Path part = inbox.resolve("." + sample + ".part");
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, inbox.resolve(sample), StandardCopyOption.ATOMIC_MOVE);
                }
            }
        }
        Files.writeString(marker, "The bundled sample recordings were copied here at " + clock.instant() + "\n");
        LOG.infof("Copied the sample recording into the inbox %s", inbox);
    }

    /** Imports every settled file of the inbox; returns how many files were processed. */
    @Override
    public int pollOnce() throws IOException {
        Files.createDirectories(inbox);
        int processed = 0;
        for (Path file : settledFiles()) {
            process(file);
            processed++;
        }
        return processed;
    }

    private List<Path> settledFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        Instant settledBefore = clock.instant().minus(settle);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(inbox)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                // hidden and partial files are still being written (copy to .x.part, then rename)
                if (!Files.isRegularFile(entry) || name.startsWith(".") || name.endsWith(".part")
                        || name.endsWith(".tmp")) {
                    continue;
                }
                if (Files.getLastModifiedTime(entry).toInstant().isAfter(settledBefore)) {
                    continue;
                }
                files.add(entry);
            }
        }
        files.sort(null);
        return files;
    }

    private void process(Path file) throws IOException {
        String id;
        try {
            id = "inbox-" + contentHash(file);
        } catch (IOException unreadable) {
            moveAside(file, FAILED, "The file could not be read: " + unreadable.getMessage());
            return;
        }
        ObjectNode metadata = json.createObjectNode();
        metadata.put("source", RecordingImport.INBOX);
        metadata.put("fileName", file.getFileName().toString());
        metadata.put("receivedAt", clock.instant().toString());
        RecordingImport recording = new RecordingImport(id, RecordingImport.INBOX, RecordingImport.WEB, metadata,
                null, null, null, null);
        try {
            if (importer.alreadyImported(id)) {
                moveAside(file, DONE, null);
                LOG.infof("Inbox file %s was already imported as session %s", file.getFileName(), id);
                return;
            }
            ImportOutcome outcome;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                outcome = importer.importRecording(recording, in);
            }
            moveAside(file, DONE, outcome.problems().isEmpty() ? null
                    : "Imported as session " + id + "; unreadable lines skipped:\n"
                            + String.join("\n", outcome.problems().stream().map(Object::toString).toList()));
        } catch (UnusableRecordingException unusable) {
            moveAside(file, FAILED, unusable.getMessage());
        }
    }

    private static String contentHash(Path file) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 24);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Moves a processed file into done/ or failed/, never over an earlier file of the same name. */
    private void moveAside(Path file, String folder, String reason) throws IOException {
        Path target = Files.createDirectories(inbox.resolve(folder));
        String name = file.getFileName().toString();
        Path destination = target.resolve(name);
        int n = 1;
        while (Files.exists(destination)) {
            destination = target.resolve(name + "." + n++);
        }
        if (reason != null) {
            Files.writeString(target.resolve(destination.getFileName() + ".reason.txt"), reason + "\n",
                    StandardCharsets.UTF_8);
        }
        try {
            Files.move(file, destination, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException race) {
            throw new UncheckedIOException(race);
        }
        if (FAILED.equals(folder)) {
            LOG.warnf("Inbox file %s moved to %s: %s", name, destination, reason);
        }
    }
}
