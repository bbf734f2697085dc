package io.truffles.core.spend;

import io.truffles.core.documents.Settings;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.jboss.logging.Logger;

/**
 * A stage's capacity that drops to nothing while a cap on its kind of spend is reached: a queue worker reads it before
 * every claim (and on its poll), so waiting work stays in its input status untouched, and starts again on the next
 * period or as soon as an admin raises the cap (the settings are live), with no restart and no busy loop.
 */
public final class HeldCapacity implements IntSupplier {
    private static final Logger LOG = Logger.getLogger(HeldCapacity.class);

    private final SpendLedger ledger;
    private final SpendKind kind;
    private final Supplier<Settings> settings;
    private final ToIntFunction<Settings> capacity;
    private volatile String heldBecause;

    /** @param capacity the stage's capacity when nothing holds it ({@code maxConcurrentAgents}) */
    public HeldCapacity(SpendLedger ledger, SpendKind kind, Supplier<Settings> settings,
            ToIntFunction<Settings> capacity) {
        this.ledger = ledger;
        this.kind = kind;
        this.settings = settings;
        this.capacity = capacity;
    }

    @Override
    public int getAsInt() {
        Settings now = settings.get();
        Optional<BudgetHold> hold = ledger.hold(kind, now);
        String reason = hold.map(BudgetHold::reason).orElse(null);
        if (!Objects.equals(reason, heldBecause)) {
            if (reason != null) {
                LOG.warnf("No %s work starts: %s", kind, reason);
            } else {
                LOG.infof("The %s budget allows work again: what waited starts", kind);
            }
            heldBecause = reason;
        }
        return hold.isPresent() ? 0 : capacity.applyAsInt(now);
    }
}
