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

    public Client byId(long id) {
        return clients.get(id);
    }

    public List<Client> all() {
        return new ArrayList<>(clients.values());
    }
}
