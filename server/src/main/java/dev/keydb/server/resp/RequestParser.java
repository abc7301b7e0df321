package dev.keydb.server.resp;

import dev.keydb.storage.SplitArgs;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental parser of client requests: RESP multibulk ({@code *N $len ...}) and inline
 * commands (what telnet and {@code redis-cli} in some modes send). It consumes a command from
 * the buffer only when the command is complete, except that a multibulk's finished arguments
 * are kept across calls so a large pipeline or a huge argument is never parsed twice.
 * Limits and error texts are Redis's (networking.c processMultibulkBuffer/processInlineBuffer).
 */
public final class RequestParser {
    /** Longest line (count or inline command) accepted without a newline, as PROTO_INLINE_MAX_SIZE. */
    public static final int INLINE_MAX = 64 * 1024;
    private static final int MAX_MULTIBULK = Integer.MAX_VALUE;
    private static final byte[][] EMPTY = new byte[0][];

    private long maxBulkLen = 512L * 1024 * 1024;
    private boolean authenticated = true;

    private byte[][] args;
    private int argCount;
    private int remaining; // arguments still to read of the current multibulk, 0 when idle

    public void setMaxBulkLen(long maxBulkLen) {
        this.maxBulkLen = maxBulkLen;
    }

    /** Before AUTH, Redis caps multibulk and bulk sizes to stop unauthenticated memory abuse. */
    public void setAuthenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    /** True while part of a multibulk has been consumed and the rest is awaited. */
    public boolean inProgress() {
        return remaining > 0;
    }

    /**
     * The next complete command, an empty array for an empty command (ignored by callers), or
     * null when more input is needed.
     */
    public byte[][] next(ByteBuf in) throws ProtocolException {
        if (remaining == 0) {
            if (!in.isReadable()) {
                return null;
            }
            if (in.getByte(in.readerIndex()) != '*') {
                return inline(in);
            }
            int eol = in.forEachByte(ByteProcessor.FIND_CR);
            if (eol < 0) {
                if (in.readableBytes() > INLINE_MAX) {
                    throw new ProtocolException("too big mbulk count string");
                }
                return null;
            }
            if (eol + 1 >= in.writerIndex()) {
                return null; // the line feed is still to come
            }
            long n = parseNumber(in, in.readerIndex() + 1, eol);
            if (n == Long.MIN_VALUE || n > MAX_MULTIBULK) {
                throw new ProtocolException("invalid multibulk length");
            }
            if (!authenticated && n > 10) {
                throw new ProtocolException("unauthenticated multibulk length");
            }
            in.readerIndex(eol + 2);
            if (n <= 0) {
                return EMPTY;
            }
            remaining = (int) n;
            argCount = 0;
            args = new byte[(int) Math.min(n, 1024)][];
        }
        while (remaining > 0) {
            if (!in.isReadable()) {
                return null;
            }
            int start = in.readerIndex();
            byte first = in.getByte(start);
            int eol = in.forEachByte(ByteProcessor.FIND_CR);
            if (eol < 0) {
                if (in.readableBytes() > INLINE_MAX) {
                    throw new ProtocolException("too big bulk count string");
                }
                return null;
            }
            if (eol + 1 >= in.writerIndex()) {
                return null;
            }
            if (first != '$') {
                throw new ProtocolException("expected '$', got '" + (char) (first & 0xFF) + "'");
            }
            long len = parseNumber(in, start + 1, eol);
            if (len < 0 || len > maxBulkLen) {
                throw new ProtocolException("invalid bulk length");
            }
            if (!authenticated && len > 16384) {
                throw new ProtocolException("unauthenticated bulk length");
            }
            long needed = (eol + 2L - start) + len + 2;
            if (in.readableBytes() < needed) {
                return null;
            }
            byte[] arg = new byte[(int) len];
            in.getBytes(eol + 2, arg);
            in.readerIndex((int) (start + needed));
            if (argCount == args.length) {
                args = Arrays.copyOf(args, (int) Math.min((long) args.length * 2, argCount + (long) remaining));
            }
            args[argCount++] = arg;
            remaining--;
        }
        byte[][] done = args.length == argCount ? args : Arrays.copyOf(args, argCount);
        args = null;
        return done;
    }

    /**
     * Parses a decimal between {@code from} and {@code to} as Redis's string2ll: an optional
     * '-', no '+', no leading zeros, no spaces, no overflow. Long.MIN_VALUE if malformed
     * (also for -9223372036854775808 itself, which no client sends as a length).
     */
    private static long parseNumber(ByteBuf in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) {
            return Long.MIN_VALUE;
        }
        int i = from;
        boolean neg = in.getByte(i) == '-';
        if (neg) {
            i++;
        }
        if (i == to) {
            return Long.MIN_VALUE;
        }
        int first = in.getByte(i) - '0';
        if (first == 0 && to - i == 1 && !neg) {
            return 0;
        }
        if (first < 1 || first > 9) {
            return Long.MIN_VALUE;
        }
        long v = first;
        for (i++; i < to; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9 || v > (Long.MAX_VALUE - d) / 10) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    private byte[][] inline(ByteBuf in) throws ProtocolException {
        int lf = in.forEachByte(ByteProcessor.FIND_LF);
        if (lf < 0) {
            if (in.readableBytes() > INLINE_MAX) {
                throw new ProtocolException("too big inline request");
            }
            return null;
        }
        int start = in.readerIndex();
        int end = lf;
        if (end > start && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(lf + 1);
        List<byte[]> parts = splitArgs(line);
        if (parts == null) {
            throw new ProtocolException("unbalanced quotes in request");
        }
        return parts.toArray(EMPTY);
    }

    /** Redis's sdssplitargs (see {@link SplitArgs}); also used by the config file reader. */
    public static List<byte[]> splitArgs(byte[] line) {
        return SplitArgs.split(line);
    }

    /** For diagnostics. */
    public static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
