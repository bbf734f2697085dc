package io.truffles.renderer.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pool of warm browsers with real Chromium: bounded by the render slots, spares only while nobody waits. */
class ReplayBrowsersIT {

    @Test
    void sparesAreLentOnlyUpToTheSlotsAndNeverToOneRenderWhileAnotherWaits() throws Exception {
        AtomicInteger slots = new AtomicInteger(2);
        try (ReplayBrowsers browsers = new ReplayBrowsers("/usr/bin/chromium", 256, slots::get)) {
            ReplayBrowser own = browsers.borrow();
            ReplayBrowser spare = browsers.borrowSpare().orElseThrow();
            assertThat(browsers.borrowSpare()).as("both slots in use").isEmpty();
            assertThat(browsers.wanted()).isFalse();

            CompletableFuture<ReplayBrowser> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return browsers.borrow();
                } catch (InterruptedException interrupted) {
                    throw new IllegalStateException(interrupted);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(browsers::wanted);
            assertThat(waiting).isNotDone();

            browsers.giveBack(spare, true);
            ReplayBrowser handedOn = waiting.get();
            assertThat(handedOn).as("the warm browser given back, not a new one").isSameAs(spare);
            assertThat(browsers.alive()).isEqualTo(2);
            assertThat(browsers.wanted()).isFalse();

            browsers.giveBack(handedOn, true);
            slots.set(1);
            Optional<ReplayBrowser> overCapacity = browsers.borrowSpare();
            assertThat(overCapacity).as("one slot left, and it is this render's").isEmpty();
            browsers.giveBack(own, true);
            assertThat(browsers.alive()).as("a browser beyond the lowered slots is closed when given back")
                    .isEqualTo(1);
        }
    }

    @Test
    void aBrowserGivenBackBrokenIsClosedAndItsSlotFreed() throws Exception {
        try (ReplayBrowsers browsers = new ReplayBrowsers("/usr/bin/chromium", 256, () -> 1)) {
            ReplayBrowser broken = browsers.borrow();
            browsers.giveBack(broken, false);
            assertThat(broken.isConnected()).isFalse();
            assertThat(browsers.alive()).isZero();
            ReplayBrowser fresh = browsers.borrow();
            assertThat(fresh).isNotSameAs(broken);
            assertThat(fresh.isConnected()).isTrue();
            browsers.giveBack(fresh, true);
        }
    }
}
