package dev.keydb.storage.rdb;

import java.io.IOException;

/** A malformed, truncated or unsupported RDB file or DUMP payload. */
public class RdbException extends IOException {
    public RdbException(String message) {
        super(message);
    }
}
