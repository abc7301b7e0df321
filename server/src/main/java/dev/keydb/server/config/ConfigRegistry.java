package dev.keydb.server.config;

import dev.keydb.storage.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
    private final Map<String, Directive> byAnyName = new HashMap<>();

    public void add(Directive d) {
        if (byName.putIfAbsent(d.name(), d) != null) {
            throw new IllegalStateException("directive declared twice: " + d.name());
        }
        byAnyName.put(d.name(), d);
        for (String a : d.aliases()) {
            byAnyName.put(a, d);
        }
    }

    public Directive find(String name) {
        return byAnyName.get(name.toLowerCase(Locale.ROOT));
    }

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

    /** Name/value pairs whose name (or alias) matches any of the glob patterns, as CONFIG GET. */
    public Map<String, String> get(List<String> patterns) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : patterns) {
            String pat = p.toLowerCase(Locale.ROOT);
            Directive exact = byAnyName.get(pat);
            if (exact != null) {
                out.putIfAbsent(pat, exact.get());
                continue;
            }
            byte[] pb = pat.getBytes(StandardCharsets.UTF_8);
            for (Map.Entry<String, Directive> e : byAnyName.entrySet()) {
                if (Glob.matches(pb, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                    out.putIfAbsent(e.getKey(), e.getValue().get());
                }
            }
        }
        return out;
    }

    /**
     * CONFIG SET of several pairs: all or nothing, as Redis 7. On a failure the directives
     * already applied are put back and the message names the offending argument.
     */
    public void setAll(List<String[]> pairs) throws ConfigException {
        List<Directive> targets = new ArrayList<>();
        for (String[] pair : pairs) {
            Directive d = find(pair[0]);
            if (d == null) {
                throw new ConfigException("Unknown option or number of arguments for CONFIG SET - '" + pair[0] + "'");
            }
            if (targets.contains(d)) {
                throw new ConfigException("CONFIG SET failed (possibly related to argument '" + pair[0] + "') - duplicate parameter");
            }
            if (!d.mutable()) {
                throw new ConfigException("CONFIG SET failed (possibly related to argument '" + pair[0] + "') - can't set immutable config");
            }
            targets.add(d);
        }
        List<String> previous = new ArrayList<>();
        for (Directive d : targets) {
            previous.add(d.get());
        }
        for (int i = 0; i < targets.size(); i++) {
            Directive d = targets.get(i);
            String value = pairs.get(i)[1];
            try {
                d.set(d.fileArity() == 1 ? List.of(value) : ConfigText.words(value));
            } catch (ConfigException e) {
                for (int j = 0; j <= i; j++) {
                    try {
                        Directive r = targets.get(j);
                        r.set(r.fileArity() == 1 ? List.of(previous.get(j)) : ConfigText.words(previous.get(j)));
                    } catch (ConfigException ignored) {
                        // the previous value was valid when it was set
                    }
                }
                throw new ConfigException("CONFIG SET failed (possibly related to argument '" + pairs.get(i)[0] + "') - " + e.getMessage());
            }
        }
    }
}
