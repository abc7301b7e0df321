package dev.keydb.server.config;

import java.util.List;
import java.util.Locale;

/**
 * {@code client-output-buffer-limit <class> <hard> <soft> <soft seconds>} per client class
 * (normal, replica alias slave, pubsub), as Redis's setConfigClientOutputBufferLimitOption:
 * a value holds any number of such groups, all of them checked before any is applied, and a
 * class not named keeps its limits. Read without the lock by the writers that enforce them.
 */
public final class ClientOutputBufferLimits {
    public enum Class { NORMAL, REPLICA, PUBSUB }

    /** One class's limits: bytes (0 = none) and seconds. */
    public record Limit(long hardBytes, long softBytes, long softSeconds) { }

    /** Redis's defaults: no limit for normal clients, 256mb 64mb 60 for replicas, 32mb 8mb 60 for pubsub. */
    static final String DEFAULT = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

    private volatile Limit normal = new Limit(0, 0, 0);
    private volatile Limit replica = new Limit(256L << 20, 64L << 20, 60);
    private volatile Limit pubsub = new Limit(32L << 20, 8L << 20, 60);

    public Limit limit(Class c) {
        return switch (c) {
            case NORMAL -> normal;
            case REPLICA -> replica;
            case PUBSUB -> pubsub;
        };
    }

    /** Applies groups of four words; nothing changes unless every group is valid. */
    void set(List<String> words) throws ConfigException {
        if (words.size() % 4 != 0) {
            throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
        }
        Limit[] parsed = new Limit[Class.values().length];
        for (int j = 0; j < words.size(); j += 4) {
            Class c = switch (words.get(j).toLowerCase(Locale.ROOT)) {
                case "normal" -> Class.NORMAL;
                case "replica", "slave" -> Class.REPLICA;
                case "pubsub" -> Class.PUBSUB;
                default -> throw new ConfigException("Invalid client class specified in buffer limit configuration.");
            };
            parsed[c.ordinal()] = parse(words.get(j + 1), words.get(j + 2), words.get(j + 3));
        }
        for (Class c : Class.values()) {
            Limit l = parsed[c.ordinal()];
            if (l != null) {
                switch (c) {
                    case NORMAL -> normal = l;
                    case REPLICA -> replica = l;
                    case PUBSUB -> pubsub = l;
                }
            }
        }
    }

    private static Limit parse(String hard, String soft, String seconds) throws ConfigException {
        try {
            long s = Long.parseLong(seconds);
            if (s < 0) {
                throw new NumberFormatException();
            }
            return new Limit(ConfigText.memory(hard, false), ConfigText.memory(soft, false), s);
        } catch (ConfigException | NumberFormatException e) {
            throw new ConfigException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
        }
    }

    /** CONFIG GET's form: every class, replicas named slave as Redis 7.0 prints them. */
    @Override
    public String toString() {
        return "normal " + words(normal) + " slave " + words(replica) + " pubsub " + words(pubsub);
    }

    private static String words(Limit l) {
        return l.hardBytes() + " " + l.softBytes() + " " + l.softSeconds();
    }
}
