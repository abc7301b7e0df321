package dev.keydb.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads redis.conf syntax: one directive per line, words split and quoted as sdssplitargs,
 * {@code #} comments, {@code include FILE}, and then {@code --name value...} command-line
 * pairs, which Redis turns into extra config lines. The first bad line stops start-up with the
 * file, line number and reason, as Redis's loadServerConfigFromString.
 */
public final class ConfigFileReader {
    private final ConfigRegistry registry;
    private int includeDepth;

    public ConfigFileReader(ConfigRegistry registry) {
        this.registry = registry;
    }

    /** Start-up failure with Redis's "FATAL CONFIG FILE ERROR" report as message. */
    public static final class FatalConfigError extends Exception {
        public FatalConfigError(String message) {
            super(message, null, false, false);
        }
    }

    /** Words given so far to directives that accumulate across lines ({@link Directive#accumulatesInFile()}). */
    private final Map<Directive, List<String>> accumulated = new HashMap<>();

    public void loadFile(Path file) throws FatalConfigError {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FatalConfigError("Fatal error, can't open config file '" + file + "': " + e.getMessage());
        }
        loadText(text, file.toString(), file.toAbsolutePath().getParent());
    }

    /** Applies {@code --directive value ...} arguments; each run of words up to the next "--" is one line. */
    public void loadArguments(List<String> args) throws FatalConfigError {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = null;
        for (String a : args) {
            if (a.startsWith("--") && a.length() > 2) {
                if (cur != null) {
                    lines.add(cur.toString());
                }
                cur = new StringBuilder(a.substring(2));
            } else {
                if (cur == null) {
                    throw new FatalConfigError("Invalid argument '" + a + "': expected --directive value");
                }
                cur.append(' ').append(ConfigText.quote(a));
            }
        }
        if (cur != null) {
            lines.add(cur.toString());
        }
        loadText(String.join("\n", lines), "(command line)", Path.of(".").toAbsolutePath());
    }

    private void loadText(String text, String source, Path baseDir) throws FatalConfigError {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> words = ConfigText.words(line);
            if (words.isEmpty()) {
                continue;
            }
            if (dev.keydb.server.resp.RequestParser.splitArgs(line.getBytes(StandardCharsets.UTF_8)) == null) {
                throw fatal(source, i + 1, lines[i], "Unbalanced quotes in configuration line");
            }
            String name = words.get(0).toLowerCase(java.util.Locale.ROOT);
            List<String> values = words.subList(1, words.size());
            if (name.equals("include")) {
                if (values.size() != 1) {
                    throw fatal(source, i + 1, lines[i], "Bad directive or wrong number of arguments");
                }
                if (++includeDepth > 16) {
                    throw fatal(source, i + 1, lines[i], "Too many nested includes");
                }
                for (Path p : includedFiles(baseDir.resolve(values.get(0)))) {
                    loadFile(p);
                }
                includeDepth--;
                continue;
            }
            Directive d = registry.find(name);
            if (d == null || (d.fileArity() >= 0 && values.size() != d.fileArity())) {
                throw fatal(source, i + 1, lines[i], "Bad directive or wrong number of arguments");
            }
            if (d.accumulatesInFile()) {
                List<String> all = accumulated.computeIfAbsent(d, k -> new ArrayList<>());
                if (values.size() == 1 && values.get(0).isEmpty()) {
                    all.clear();
                } else {
                    all.addAll(values);
                }
                values = all.isEmpty() ? values : all;
            }
            try {
                d.set(values);
            } catch (ConfigException e) {
                throw fatal(source, i + 1, lines[i], e.getMessage());
            }
        }
    }

    /**
     * The files an {@code include} names: the path itself, or with a wildcard in its last
     * component ({@code include /etc/keydb/conf.d/*.conf}) every match in name order, and
     * none without error when nothing matches (an empty conf.d), as Redis.
     */
    private static List<Path> includedFiles(Path path) throws FatalConfigError {
        String last = path.getFileName() == null ? "" : path.getFileName().toString();
        if (last.indexOf('*') < 0 && last.indexOf('?') < 0 && last.indexOf('[') < 0) {
            return List.of(path);
        }
        Path dir = path.getParent();
        java.nio.file.PathMatcher m = dir.getFileSystem().getPathMatcher("glob:" + last);
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> m.matches(p.getFileName()) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static FatalConfigError fatal(String source, int line, String text, String reason) {
        return new FatalConfigError("\n*** FATAL CONFIG FILE ERROR (KeyDB-JVM) ***\n"
                + "Reading the configuration file " + source + ", at line " + line + "\n"
                + ">>> '" + text.strip() + "'\n" + reason);
    }
}
