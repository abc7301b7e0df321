package dev.keydb.server.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Factories for the common directive shapes (bool, number, memory, enum, string). */
public final class Directives {
    private Directives() {}

    /** Validates a value before it is applied; throws with Redis's reason text. */
    @FunctionalInterface
    public interface Check<T> {
        void check(T value) throws ConfigException;
    }

    /** Stores a parsed value; may refuse it with a reason (a value the server cannot honour yet). */
    @FunctionalInterface
    public interface Setter<T> {
        void set(T value) throws ConfigException;
    }

    /** {@link Setter} for numbers. */
    @FunctionalInterface
    public interface LongSetter {
        void set(long value) throws ConfigException;
    }

    public static Directive bool(String name, boolean mutable, boolean dflt, Supplier<Boolean> get, Setter<Boolean> set, String... aliases) {
        return new Directive(name, List.of(aliases), mutable, dflt ? "yes" : "no") {
            @Override
            public String get() {
                return get.get() ? "yes" : "no";
            }

            @Override
            public void set(List<String> words) throws ConfigException {
                set.set(ConfigText.yesNo(single(words)));
            }
        };
    }

    public static Directive number(String name, boolean mutable, long min, long max, long dflt, LongSupplier get, LongSetter set, String... aliases) {
        return numeric(name, mutable, min, max, dflt, false, get, set, aliases);
    }

    public static Directive memory(String name, boolean mutable, long min, long max, long dflt, LongSupplier get, LongSetter set, String... aliases) {
        return numeric(name, mutable, min, max, dflt, true, get, set, aliases);
    }

    private static Directive numeric(String name, boolean mutable, long min, long max, long dflt, boolean units,
                                     LongSupplier get, LongSetter set, String... aliases) {
        return new Directive(name, List.of(aliases), mutable, Long.toString(dflt)) {
            @Override
            public String get() {
                return Long.toString(get.getAsLong());
            }

            @Override
            public void set(List<String> words) throws ConfigException {
                String w = single(words);
                long v;
                if (units) {
                    v = ConfigText.memory(w, min < 0);
                } else {
                    try {
                        v = Long.parseLong(w);
                    } catch (NumberFormatException e) {
                        throw new ConfigException("argument couldn't be parsed into an integer");
                    }
                }
                if (v < min || v > max) {
                    throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
                }
                set.set(v);
            }

            @Override
            public String rewriteForm() {
                return units ? ConfigText.memoryUnits(get.getAsLong()) : get();
            }
        };
    }

    public static Directive enumeration(String name, boolean mutable, String dflt, List<String> allowed,
                                        Supplier<String> get, Setter<String> set, String... aliases) {
        return new Directive(name, List.of(aliases), mutable, dflt) {
            @Override
            public String get() {
                return get.get();
            }

            @Override
            public void set(List<String> words) throws ConfigException {
                String w = single(words).toLowerCase(Locale.ROOT);
                if (!allowed.contains(w)) {
                    throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", allowed));
                }
                set.set(w);
            }
        };
    }

    public static Directive string(String name, boolean mutable, String dflt, Supplier<String> get,
                                   Check<String> check, Consumer<String> set, String... aliases) {
        return new Directive(name, List.of(aliases), mutable, dflt) {
            @Override
            public String get() {
                return get.get();
            }

            @Override
            public void set(List<String> words) throws ConfigException {
                String w = single(words);
                check.check(w);
                set.accept(w);
            }

            @Override
            public String rewriteForm() {
                // Redis writes string values always quoted (sdscatrepr).
                return ConfigText.repr(get.get());
            }
        };
    }

    /** A directive taking any number of words (bind, save, client-output-buffer-limit...). */
    public static Directive multi(String name, boolean mutable, String dflt, Supplier<String> get,
                                  Check<List<String>> apply, String... aliases) {
        return new Directive(name, List.of(aliases), mutable, dflt) {
            @Override
            public String get() {
                return get.get();
            }

            @Override
            public void set(List<String> words) throws ConfigException {
                apply.check(words);
            }

            @Override
            public int fileArity() {
                return -1;
            }

            @Override
            public String rewriteForm() {
                String v = get();
                return v.isEmpty() ? "\"\"" : v;
            }
        };
    }

    static String single(List<String> words) throws ConfigException {
        if (words.size() != 1) {
            throw new ConfigException("wrong number of arguments");
        }
        return words.get(0);
    }

    public static List<String> list(String... s) {
        return Arrays.asList(s);
    }
}
