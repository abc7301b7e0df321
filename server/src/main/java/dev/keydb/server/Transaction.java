package dev.keydb.server;

import java.util.ArrayList;
import java.util.List;

/** A client's open MULTI: the queued commands and whether queueing failed (EXECABORT). */
public final class Transaction {
    private final List<byte[][]> queued = new ArrayList<>();
    private boolean failed;

    void queue(byte[][] argv) {
        queued.add(argv);
    }

    void markFailed() {
        failed = true;
    }

    public boolean failed() {
        return failed;
    }

    public List<byte[][]> queued() {
        return queued;
    }
}
