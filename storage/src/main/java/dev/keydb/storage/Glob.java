package dev.keydb.storage;

/**
 * Redis's glob matcher (util.c stringmatchlen) over bytes: {@code * ? [abc] [^a] [a-z] \x},
 * with the same nesting limit so that a pathological pattern cannot take exponential time.
 */
public final class Glob {
    private static final int MAX_NESTING = 1000;

    private Glob() {}

    public static boolean matches(byte[] pattern, byte[] string, boolean nocase) {
        boolean[] skipLongerMatches = new boolean[1];
        return match(pattern, 0, string, 0, nocase, skipLongerMatches, 0);
    }

    public static boolean matches(byte[] pattern, byte[] string) {
        return matches(pattern, string, false);
    }

    /** True when the pattern is "*", which matches everything without running the matcher. */
    public static boolean matchesAll(byte[] pattern) {
        return pattern.length == 1 && pattern[0] == '*';
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si, boolean nocase, boolean[] skipLonger, int nesting) {
        if (nesting > MAX_NESTING) {
            return false;
        }
        int plen = p.length, slen = s.length;
        while (pi < plen && si < slen) {
            switch (p[pi]) {
                case '*': {
                    while (pi + 1 < plen && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == plen) {
                        return true;
                    }
                    while (si < slen) {
                        if (match(p, pi + 1, s, si, nocase, skipLonger, nesting + 1)) {
                            return true;
                        }
                        if (skipLonger[0]) {
                            return false;
                        }
                        si++;
                    }
                    skipLonger[0] = true;
                    return false;
                }
                case '?':
                    if (si >= slen) {
                        return false;
                    }
                    si++;
                    break;
                case '[': {
                    if (si >= slen) {
                        return false;
                    }
                    pi++;
                    boolean not = pi < plen && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean matched = false;
                    while (true) {
                        if (pi >= plen) {
                            pi--; // unterminated class: treat end of pattern as ']'
                            break;
                        }
                        if (p[pi] == '\\' && pi + 1 < plen) {
                            pi++;
                            if (p[pi] == s[si]) {
                                matched = true;
                            }
                        } else if (p[pi] == ']') {
                            break;
                        } else if (pi + 2 < plen && p[pi + 1] == '-') {
                            // Signed, as C's char in Redis: a range ending above 0x7F wraps below 0.
                            int start = p[pi], end = p[pi + 2], c = s[si];
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = lower(start);
                                end = lower(end);
                                c = lower(c);
                            }
                            pi += 2;
                            if (c >= start && c <= end) {
                                matched = true;
                            }
                        } else if (eq(p[pi], s[si], nocase)) {
                            matched = true;
                        }
                        pi++;
                    }
                    if (not) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return false;
                    }
                    si++;
                    break;
                }
                case '\\':
                    if (pi + 1 < plen) {
                        pi++;
                    }
                    // fall through: literal match of the escaped byte
                default:
                    if (si >= slen || !eq(p[pi], s[si], nocase)) {
                        return false;
                    }
                    si++;
                    break;
            }
            pi++;
            if (si == slen) {
                while (pi < plen && p[pi] == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi == plen && si == slen;
    }

    private static boolean eq(byte a, byte b, boolean nocase) {
        if (a == b) {
            return true;
        }
        return nocase && lower(a) == lower(b);
    }

    /** C's tolower in the "C" locale Redis runs its matcher in: ASCII letters only. */
    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
}
