package dev.keydb.server.config;

import dev.keydb.storage.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every directive the server knows, by name and alias. CONFIG GET/SET, the config file reader,
 * the command line and CONFIG REWRITE all go through here.
 */
public final class ConfigRegistry {
    private final Map<String, Directive> byName = new LinkedHashMap<>();
    /** Names and aliases in declaration order, so that CONFIG GET answers in a stable order. */
    private final Map<String, Directive> byAnyName = new LinkedHashMap<>();

    public void add(Directive d) {
        if (byName.putIfAbsent(d.name(), d) != null) {
            throw new IllegalStateException("directive declared twice: " + d.name());
        }
        byAnyName.put(d.name(), d);
        for (String a : d.aliases()) {
            if (byAnyName.putIfAbsent(a, d) != null) {
                throw new IllegalStateException("alias declared twice: " + a);
            }
        }
    }

    public Directive find(String name) {
        return byAnyName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every directive once, under its primary name, in declaration order. */
    public Collection<Directive> all() {
        return byName.values();
    }

    /** Applies every default; called once before the config file is read. */
    public void resetAll() {
        for (Directive d : byName.values()) {
            try {
                d.reset();
            } catch (ConfigException e) {
                throw new IllegalStateException("bad default for " + d.name() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Name/value pairs whose name (or alias) matches any of the glob patterns, as Redis 7's
     * CONFIG GET: a pattern without {@code * ? [} is looked up directly and answered under the
     * name as the caller spelled it; a glob matches names case-insensitively. Each directive
     * name appears once.
     */
    public Map<String, String> get(List<String> patterns) {
        Map<String, String[]> found = new LinkedHashMap<>(); // lower-case name -> {name as shown, value}
        for (String p : patterns) {
            if (!isGlob(p)) {
                Directive d = find(p);
                if (d != null) {
                    found.putIfAbsent(p.toLowerCase(Locale.ROOT), new String[] {p, d.get()});
                }
                continue;
            }
            byte[] pb = p.getBytes(StandardCharsets.UTF_8);
            for (Map.Entry<String, Directive> e : byAnyName.entrySet()) {
                if (!found.containsKey(e.getKey()) && Glob.matches(pb, e.getKey().getBytes(StandardCharsets.UTF_8), true)) {
                    found.put(e.getKey(), new String[] {e.getKey(), e.getValue().get()});
                }
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] nv : found.values()) {
            out.put(nv[0], nv[1]);
        }
        return out;
    }

    private static boolean isGlob(String p) {
        return p.indexOf('*') >= 0 || p.indexOf('?') >= 0 || p.indexOf('[') >= 0;
    }

    /** CONFIG SET from a trusted caller (tests, internal use): protected directives allowed. */
    public void setAll(List<String[]> pairs) throws ConfigException {
        setAll(pairs, true);
    }

    /**
     * CONFIG SET of several pairs: all or nothing, as Redis 7. Names are checked first (unknown,
     * immutable, protected, duplicate: the first problem in argument order wins), then every
     * value is set, then the apply steps run. A failure in either phase puts every directive of
     * the call back to its previous value and names the offending argument.
     *
     * @param protectedAllowed whether {@code enable-protected-configs} admits this caller
     */
    public void setAll(List<String[]> pairs, boolean protectedAllowed) throws ConfigException {
        List<Directive> targets = new ArrayList<>();
        for (String[] pair : pairs) {
            Directive d = find(pair[0]);
            if (d == null) {
                throw new ConfigException("Unknown option or number of arguments for CONFIG SET - '" + pair[0] + "'");
            }
            if (!d.mutable() || (d.isProtected() && !protectedAllowed)) {
                throw failed(pair[0], d.mutable() ? "can't set protected config" : "can't set immutable config");
            }
            if (targets.contains(d)) {
                throw failed(pair[0], "duplicate parameter");
            }
            targets.add(d);
        }
        List<String> previous = new ArrayList<>();
        for (Directive d : targets) {
            previous.add(d.get());
        }
        for (int i = 0; i < targets.size(); i++) {
            try {
                targets.get(i).setFromText(pairs.get(i)[1]);
            } catch (ConfigException e) {
                restore(targets, previous, i + 1, false);
                throw failed(targets.get(i).name(), e.getMessage());
            }
        }
        for (Directive d : targets) {
            try {
                d.apply();
            } catch (ConfigException e) {
                restore(targets, previous, targets.size(), true);
                throw failed(d.name(), e.getMessage());
            }
        }
    }

    private static ConfigException failed(String arg, String reason) {
        return new ConfigException("CONFIG SET failed (possibly related to argument '" + arg + "') - " + reason);
    }

    private static void restore(List<Directive> targets, List<String> previous, int count, boolean reapply) {
        for (int j = 0; j < count; j++) {
            try {
                targets.get(j).setFromText(previous.get(j));
            } catch (ConfigException ignored) {
                // the previous value was valid when it was set
            }
        }
        if (reapply) {
            for (int j = 0; j < count; j++) {
                try {
                    targets.get(j).apply();
                } catch (ConfigException ignored) {
                    // the previous value applied before; nothing better to do than keep going
                }
            }
        }
    }
}
