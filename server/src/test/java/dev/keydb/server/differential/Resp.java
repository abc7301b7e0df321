package dev.keydb.server.differential;

import java.util.ArrayList;
import java.util.List;

/** Small helpers over raw RESP reply text for the differential comparison modes. */
final class Resp {
    private Resp() {}

    /** The reply with its top-level array elements sorted (elements kept whole, nested ones too). */
    static String sortTopLevel(String reply) {
        if (!reply.startsWith("*") && !reply.startsWith("~")) {
            return reply;
        }
        int[] pos = {0};
        String header = line(reply, pos);
        int n = Integer.parseInt(header.substring(1));
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int start = pos[0];
            skipValue(reply, pos);
            elements.add(reply.substring(start, pos[0]));
        }
        elements.sort(null);
        return header + "\r\n" + String.join("", elements);
    }

    /** Type character plus length for aggregates and bulk presence ("$", "$-1"), nothing else. */
    static String shape(String reply) {
        char t = reply.charAt(0);
        if (t == '*' || t == '~' || t == '%') {
            return reply.substring(0, reply.indexOf('\r'));
        }
        if (t == '$') {
            return reply.startsWith("$-1") ? "$-1" : "$";
        }
        return String.valueOf(t);
    }

    private static String line(String s, int[] pos) {
        int end = s.indexOf("\r\n", pos[0]);
        String l = s.substring(pos[0], end);
        pos[0] = end + 2;
        return l;
    }

    private static void skipValue(String s, int[] pos) {
        String l = line(s, pos);
        char t = l.charAt(0);
        switch (t) {
            case '$', '=', '!' -> {
                int len = Integer.parseInt(l.substring(1));
                if (len >= 0) {
                    // RESP lengths are bytes; the raw text was decoded as UTF-8, so walk by bytes.
                    pos[0] = advanceBytes(s, pos[0], len) + 2;
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(l.substring(1));
                for (int i = 0; i < n; i++) {
                    skipValue(s, pos);
                }
            }
            case '%', '|' -> {
                int n = Integer.parseInt(l.substring(1));
                for (int i = 0; i < 2 * n; i++) {
                    skipValue(s, pos);
                }
            }
            default -> { }
        }
    }

    private static int advanceBytes(String s, int from, int bytes) {
        int i = from;
        int counted = 0;
        while (counted < bytes) {
            int cp = s.codePointAt(i);
            counted += new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            i += Character.charCount(cp);
        }
        return i;
    }
}
