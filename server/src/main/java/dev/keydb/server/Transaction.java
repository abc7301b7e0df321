package dev.keydb.server;

import java.util.ArrayList;
import java.util.List;

/** A client's open MULTI: the queued commands and whether queueing failed (EXECABORT). */
public final class Transaction {
    private final List<byte[][]> queued = new ArrayList<>();
    private boolean failed;
    private boolean queuesScript;

    void queue(byte[][] argv, boolean runsScript) {
        queued.add(argv);
        queuesScript |= runsScript;
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
