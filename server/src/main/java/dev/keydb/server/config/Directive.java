package dev.keydb.server.config;

import java.util.List;

/**
 * One configuration directive: its name (and aliases), whether CONFIG SET may change it at
 * run time, its default, and how to read and apply its value. Values are text as in
 * redis.conf; {@link #get()} renders the canonical form CONFIG GET answers.
 */
public abstract class Directive {
    private final String name;
    private final List<String> aliases;
    private final boolean mutable;
    private final String defaultValue;

    protected Directive(String name, List<String> aliases, boolean mutable, String defaultValue) {
        this.name = name;
        this.aliases = aliases;
        this.mutable = mutable;
        this.defaultValue = defaultValue;
    }

    public final String name() {
        return name;
    }

    public final List<String> aliases() {
        return aliases;
    }

    public final boolean mutable() {
        return mutable;
    }

    public final String defaultValue() {
        return defaultValue;
    }

    /** The current value, canonical. */
    public abstract String get();

    /**
     * Applies a value given as the words after the directive name (one word for most
     * directives; {@code save}, {@code bind} and buffer limits take several).
     */
    public abstract void set(List<String> words) throws ConfigException;

    /** How many words a config-file line may carry for this directive: -1 for any, else exact. */
    public int fileArity() {
        return 1;
    }

    /** The value as CONFIG REWRITE writes it after the name (quoted where needed). */
    public String rewriteForm() {
        return ConfigText.quote(get());
    }

    /** Restore the default; used at start-up before the file is read. */
    public void reset() throws ConfigException {
        set(fileArity() == 1 ? List.of(defaultValue) : ConfigText.words(defaultValue));
    }
}
