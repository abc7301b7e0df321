package dev.keydb.tools;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point of keydb-tools.jar: {@code java -jar keydb-tools.jar check-rdb FILE} or
 * {@code check-aof [--fix] FILE|MANIFEST} (the launcher scripts tools/keydb-check-rdb and
 * tools/keydb-check-aof pass the first argument).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        int rc;
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        String tool = args.length == 0 ? "" : args[0];
        switch (tool) {
            case "check-rdb" -> rc = CheckRdb.run("keydb-check-rdb", rest, out, System.err);
            case "check-aof" -> rc = CheckAof.run("keydb-check-aof", rest, System.in, out);
            default -> {
                System.err.println("Usage: java -jar keydb-tools.jar check-rdb <rdb-file-name>");
                System.err.println("       java -jar keydb-tools.jar check-aof [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>");
                rc = 1;
            }
        }
        out.flush();
        System.exit(rc);
    }
}
