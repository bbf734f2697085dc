package io.truffles.agentrunner.sandbox;

import java.util.BitSet;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A real uid for each running agent, so the kernel's per-user counts (RLIMIT_NPROC above all) are per agent: one
 * agent's fork storm cannot stop another from starting. bubblewrap's {@code --uid} maps a uid inside the user
 * namespace only; the count is kept on the real one, which {@code setpriv --reuid} sets — so this needs the runner to
 * be root. The uids come from a block no account uses ({@code AGENT_UID_BASE}, {@value #DEFAULT_FIRST_UID} upwards,
 * far above the ranges Debian and systemd allocate); each keeps the agent user's group. When every uid of the block is
 * in use, an agent shares the agent user's own uid (and that is logged).
 *
 * <p>A runner that is not root (the systemd unit's dedicated user) cannot switch uids: its agents share its uid, and
 * RLIMIT_NPROC is then shared too — see SECURITY.md for what bounds them there.
 */
public final class AgentUsers {
    private static final Logger LOG = Logger.getLogger(AgentUsers.class);
    public static final int DEFAULT_FIRST_UID = 1_900_000_000;
    public static final int DEFAULT_SIZE = 256;

    private final Optional<AgentUser> base;
    private final int firstUid;
    private final BitSet taken;
    private final int size;

    public AgentUsers(Optional<AgentUser> base, int firstUid, int size) {
        this.base = base;
        this.firstUid = firstUid;
        this.size = size;
        this.taken = new BitSet(size);
    }

    /** No uid switching: every agent runs as {@code base} (or as the runner). */
    public static AgentUsers shared(Optional<AgentUser> base) {
        return new AgentUsers(base, 0, 0);
    }

    /** One agent's user until {@link Lease#close()}. */
    public final class Lease implements AutoCloseable {
        private final Optional<AgentUser> user;
        private final int slot;

        private Lease(Optional<AgentUser> user, int slot) {
            this.user = user;
            this.slot = slot;
        }

        public Optional<AgentUser> user() {
            return user;
        }

        @Override
        public void close() {
            if (slot >= 0) {
                synchronized (AgentUsers.this) {
                    taken.clear(slot);
                }
            }
        }
    }

    public synchronized Lease acquire() {
        if (base.isEmpty() || size == 0) {
            return new Lease(base, -1);
        }
        int slot = taken.nextClearBit(0);
        if (slot >= size) {
            LOG.warnf("All %d agent uids are in use; this agent shares uid %d (and its process count)", size,
                    base.get().uid());
            return new Lease(base, -1);
        }
        taken.set(slot);
        AgentUser b = base.get();
        return new Lease(Optional.of(new AgentUser(b.name(), firstUid + slot, b.gid())), slot);
    }
}
