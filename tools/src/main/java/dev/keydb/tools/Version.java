package dev.keydb.tools;

/** The tools' version line (the jar's implementation version when packaged). */
final class Version {
    private Version() {}

    static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return (v == null ? "0.1.0-SNAPSHOT" : v) + " (KeyDB for the JVM; Redis 7.0 formats)";
    }
}
