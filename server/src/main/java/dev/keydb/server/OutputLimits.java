package dev.keydb.server;

import dev.keydb.server.config.ClientOutputBufferLimits;
import dev.keydb.server.config.ClientOutputBufferLimits.Class;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Enforces {@code client-output-buffer-limit} (CONFIG) for data pushed to a client outside its own request
 * cycle (pub/sub messages, later replica streams): bytes written but not yet flushed to the
 * socket are counted per client; a client over the hard limit, or over the soft limit for
 * longer than the soft period, is disconnected instead of letting the server's memory grow.
 * Replies to a client's own requests are bounded by back-pressure instead (see ClientHandler).
 */
public final class OutputLimits {
    public enum Verdict { OK, OVER_LIMIT }

    private final ClientOutputBufferLimits limits;
    private final ConcurrentHashMap<Long, AtomicLong> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Long> softSince = new ConcurrentHashMap<>();

    OutputLimits(ClientOutputBufferLimits limits) {
        this.limits = limits;
    }

    /** Accounts {@code bytes} about to be written to {@code client}; OVER_LIMIT means disconnect it. */
    public Verdict charge(Client client, long bytes, Class cls) {
        long now = pending.computeIfAbsent(client.id(), k -> new AtomicLong()).addAndGet(bytes);
        ClientOutputBufferLimits.Limit l = limits.limit(cls);
        if (l.hardBytes() > 0 && now > l.hardBytes()) {
            return Verdict.OVER_LIMIT;
        }
        if (l.softBytes() > 0 && now > l.softBytes()) {
            long since = softSince.computeIfAbsent(client.id(), k -> System.currentTimeMillis());
            if (System.currentTimeMillis() - since > l.softSeconds() * 1000) {
                return Verdict.OVER_LIMIT;
            }
        } else {
            softSince.remove(client.id());
        }
        return Verdict.OK;
    }

    /** The socket took {@code bytes} of what was charged. */
    public void written(Client client, long bytes) {
        AtomicLong p = pending.get(client.id());
        if (p != null && p.addAndGet(-bytes) <= 0) {
            pending.remove(client.id(), p);
        }
    }

    /** Bytes charged and not yet written (CLIENT LIST omem). */
    public long pendingBytes(Client client) {
        AtomicLong p = pending.get(client.id());
        return p == null ? 0 : p.get();
    }

    void forget(Client client) {
        pending.remove(client.id());
        softSince.remove(client.id());
    }
}
