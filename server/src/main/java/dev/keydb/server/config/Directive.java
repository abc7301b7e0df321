package dev.keydb.server.config;

import java.util.List;

/**
 * One configuration directive: its name (and aliases), whether CONFIG SET may change it at
 * run time, its default, and how to read and apply its value. Values are text as in
 * redis.conf; {@link #get()} renders the canonical form CONFIG GET answers.
 *
 * <p>Beyond the value itself a directive may be <em>protected</em> (CONFIG SET only when
 * {@code enable-protected-configs} allows it, as Redis's {@code dir} and {@code dbfilename}),
 * have an <em>apply</em> step that CONFIG SET runs after every value of the call was accepted
 * (Redis's apply functions: it may still fail, and then the whole call is rolled back), and be
 * always written by CONFIG REWRITE even at its default ({@code save ""}, as Redis).
 */
public abstract class Directive {
    /** CONFIG SET's second phase for a directive whose change must be acted upon. */
    @FunctionalInterface
    public interface Apply {
        void apply() throws ConfigException;
    }

    private final String name;
    private final List<String> aliases;
    private final boolean mutable;
    private final String defaultValue;
    private boolean protectedConfig;
    private boolean alwaysRewrite;
    private boolean accumulateInFile;
    private Apply apply;
    private String canonicalDefault;

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

    /** Marks the directive protected: CONFIG SET needs {@code enable-protected-configs}. */
    public final Directive protect() {
        this.protectedConfig = true;
        return this;
    }

    public final boolean isProtected() {
        return protectedConfig;
    }

    /** Runs {@code step} after CONFIG SET changed the value; a failure rolls the call back. */
    public final Directive onApply(Apply step) {
        this.apply = step;
        return this;
    }

    /** CONFIG REWRITE writes this directive even when it holds its default. */
    public final Directive alwaysRewrite() {
        this.alwaysRewrite = true;
        return this;
    }

    /**
     * In a config file, every line of this directive adds to the earlier ones instead of
     * replacing them ({@code save}); a line with the single word "" starts again from nothing.
     */
    public final Directive accumulateInFile() {
        this.accumulateInFile = true;
        return this;
    }

    public final boolean accumulatesInFile() {
        return accumulateInFile;
    }

    /** The apply step of CONFIG SET; nothing for most directives. */
    public final void apply() throws ConfigException {
        if (apply != null) {
            apply.apply();
        }
    }

    /** Whether CONFIG REWRITE must write the directive even if the old file does not mention it. */
    public final boolean forceRewrite() {
        return alwaysRewrite || canonicalDefault == null || !canonicalDefault.equals(get());
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

    /** Sets the value from CONFIG SET's single argument (split into words for multi-word directives). */
    public final void setFromText(String value) throws ConfigException {
        set(fileArity() == 1 ? List.of(value) : ConfigText.words(value));
    }

    /** The value as CONFIG REWRITE writes it after the name (quoted where needed). */
    public String rewriteForm() {
        return ConfigText.quote(get());
    }

    /** The lines CONFIG REWRITE writes for this directive (one for all but list-like directives). */
    public List<String> rewriteLines() {
        return List.of(name + " " + rewriteForm());
    }

    /** Restore the default; used at start-up before the file is read. */
    public void reset() throws ConfigException {
        setFromText(defaultValue);
        canonicalDefault = get();
    }
}
