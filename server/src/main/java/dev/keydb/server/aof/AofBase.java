package dev.keydb.server.aof;

import dev.keydb.server.Server;
import dev.keydb.server.config.ServerConfig;
import dev.keydb.storage.Database;
import dev.keydb.storage.ExpireTable;
import dev.keydb.storage.Keyspace;
import dev.keydb.storage.rdb.RdbWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The base file of an AOF rewrite (Redis's rewriteAppendOnlyFileRio): the dataset as an RDB or as commands. */
final class AofBase {
    private AofBase() {}

    /**
     * The rewrite's base: the whole dataset of {@code ks} (a snapshot's view, or the live
     * keyspace under the lock at start-up) and the function libraries, as an RDB
     * (aof-use-rdb-preamble yes) or as commands.
     */
    static void write(Keyspace ks, List<byte[]> functions, ServerConfig config, OutputStream out) throws IOException {
        if (config.aofUseRdbPreamble) {
            Runtime rt = Runtime.getRuntime();
            RdbWriter.save(ks, out, new RdbWriter.Options(Server.VERSION, config.rdbcompression, config.rdbchecksum,
                    rt.totalMemory() - rt.freeMemory(), functions));
            return;
        }
        // Without the preamble: the libraries as FUNCTION LOAD (Redis's rewriteFunctions), then
        // every key as RESTORE of its DUMP payload with its absolute TTL, a form every Redis 7 loads.
        for (byte[] code : functions) {
            writeCommand(out, FUNCTION, LOAD, code);
        }
        for (int i = 0; i < ks.databases(); i++) {
            Database db = ks.db(i);
            if (db.size() == 0) {
                continue;
            }
            writeCommand(out, SELECT, Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
            db.forEachEntry((key, v, when) -> {
                byte[] ttl = Long.toString(when == ExpireTable.NONE ? 0 : when).getBytes(StandardCharsets.US_ASCII);
                byte[] payload = RdbWriter.dump(v, config.rdbcompression);
                if (when == ExpireTable.NONE) {
                    writeCommand(out, RESTORE, key, ttl, payload);
                } else {
                    writeCommand(out, RESTORE, key, ttl, payload, ABSTTL);
                }
            });
        }
    }

    private static final byte[] FUNCTION = "FUNCTION".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOAD = "LOAD".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESTORE = "RESTORE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ABSTTL = "ABSTTL".getBytes(StandardCharsets.US_ASCII);

    private static void writeCommand(OutputStream out, byte[]... argv) throws IOException {
        out.write(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            out.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
    }
}
