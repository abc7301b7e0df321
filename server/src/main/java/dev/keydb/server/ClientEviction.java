package dev.keydb.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * maxmemory-clients (Redis 7's client eviction): when the evictable clients' memory together
 * reaches the limit, the ones using the most are closed until the rest fit, so that many
 * clients with big query or output buffers cannot take the server's memory. Evictable: normal
 * and Pub/Sub clients without CLIENT NO-EVICT (not MONITOR clients, which Redis counts with the
 * replicas). A client's memory here is its query and output buffers (Redis also counts its
 * fixed structures, ~20 KB a client with the static reply buffer; ours are a few KB, left out).
 * Checked by the cron every 100 ms, where Redis checks after each command.
 */
public final class ClientEviction {
    /** Redis never lets the limit below this, so that a bad setting cannot lock everyone out. */
    private static final long MIN_LIMIT = 128 * 1024;

    private final Server server;
    private volatile long evictedClients;

    ClientEviction(Server server) {
        this.server = server;
    }

    /** INFO evicted_clients. */
    public long evictedClients() {
        return evictedClients;
    }

    public void resetStats() {
        evictedClients = 0;
    }

    /** The limit in bytes (getClientEvictionLimit): bytes, or a percentage of maxmemory; 0 is none. */
    long limit() {
        long setting = server.config().maxmemoryClients;
        long bytes = setting < 0 ? (long) (server.config().maxmemory * (-setting / 100.0)) : setting;
        return bytes == 0 ? 0 : Math.max(bytes, MIN_LIMIT);
    }

    /** Closes the biggest evictable clients while the evictable clients' memory is at or over the limit. */
    void evictIfNeeded() {
        long limit = limit();
        if (limit == 0) {
            return;
        }
        // The figures are read once: event loops change them meanwhile.
        List<Sized> candidates = new ArrayList<>();
        long total = 0;
        for (Client c : server.clients().all()) {
            if (!c.noEvict() && !c.killed() && !server.dispatcher().monitors().contains(c)) {
                Sized s = new Sized(c, c.bufferBytes());
                candidates.add(s);
                total += s.bytes();
            }
        }
        if (total < limit) {
            return;
        }
        candidates.sort(Comparator.comparingLong(Sized::bytes).reversed());
        for (Sized s : candidates) {
            if (total < limit) {
                break;
            }
            total -= s.bytes();
            Client c = s.client();
            Log.verbose("Evicting client: id=" + c.id() + " qbuf=" + c.queryBufferBytes() + " omem=" + c.outputBufferBytes());
            c.kill();
            evictedClients++;
        }
    }

    private record Sized(Client client, long bytes) {}
}
