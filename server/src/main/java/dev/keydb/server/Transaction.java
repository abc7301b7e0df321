package dev.keydb.server;

import java.util.ArrayList;
import java.util.List;

/** A client's open MULTI: the queued commands and whether queueing failed (EXECABORT). */
public final class Transaction {
    private final List<byte[][]> queued = new ArrayList<>();
    private boolean failed;
    private boolean queuesScript;
    private boolean queuesDenyOom;

    void queue(byte[][] argv, boolean runsScript, boolean denyOom) {
        queued.add(argv);
        queuesScript |= runsScript;
        queuesDenyOom |= denyOom;
    }

    /** Whether a queued command may add memory (EXEC is refused when out of memory). */
    boolean queuesDenyOom() {
        return queuesDenyOom;
    }

    /** Whether a queued command runs a script (EXEC then runs where long scripts run). */
    boolean queuesScript() {
        return queuesScript;
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
