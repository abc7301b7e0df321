package dev.keydb.storage;

/**
 * A point-in-time view of the keyspace taken by {@link Keyspace#snapshot()}: read it from any
 * thread without the keyspace lock (it never changes and never expires keys), then close it
 * under the lock so that writes stop copying values for it.
 */
public final class Snapshot {
    private final Keyspace source;
    private final Keyspace view;
    private boolean closed;

    Snapshot(Keyspace source, Keyspace view) {
        this.source = source;
        this.view = view;
    }

    /** The databases as they were when the snapshot was taken. */
    public Keyspace view() {
        return view;
    }

    /** Ends the snapshot; the caller holds the keyspace lock. Closing twice is harmless. */
    public void close() {
        if (!closed) {
            closed = true;
            source.release();
        }
    }
}
