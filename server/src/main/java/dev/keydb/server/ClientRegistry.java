package dev.keydb.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** Connected clients by id (ordered, as CLIENT LIST prints them). */
public final class ClientRegistry {
    private final ConcurrentSkipListMap<Long, Client> clients = new ConcurrentSkipListMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    long nextId() {
        return nextId.getAndIncrement();
    }

    void add(Client c) {
        clients.put(c.id(), c);
    }

    void remove(Client c) {
        clients.remove(c.id());
    }

    public int count() {
        return clients.size();
    }

    /** A live client by id; a killed one counts as gone even before its channel has closed, as Redis frees it at once. */
    public Client byId(long id) {
        Client c = clients.get(id);
        return c == null || c.killed() ? null : c;
    }

    /** Live clients in id order (killed ones excluded, see {@link #byId}). */
    public List<Client> all() {
        List<Client> out = new ArrayList<>(clients.size());
        for (Client c : clients.values()) {
            if (!c.killed()) {
                out.add(c);
            }
        }
        return out;
    }
}
