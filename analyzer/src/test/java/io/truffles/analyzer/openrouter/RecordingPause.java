package io.truffles.analyzer.openrouter;

import io.truffles.core.retry.Pause;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Notes each wait the client asks for instead of waiting, so retry timing is checked without spending it. */
@Alternative
@Priority(1)
@Singleton
public class RecordingPause implements Pause {
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @Override
    public void pause(Duration duration) {
        pauses.add(duration);
    }

    List<Duration> pauses() {
        return pauses;
    }

    void clear() {
        pauses.clear();
    }
}
