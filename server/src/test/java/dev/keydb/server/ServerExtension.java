package dev.keydb.server;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process {@link TestServer} per test class, started before the first test and stopped
 * after the last: {@code @RegisterExtension static final ServerExtension server = new ServerExtension("--directive", "value");}
 */
public final class ServerExtension implements BeforeAllCallback, AfterAllCallback {
    private final String[] directives;
    private TestServer server;

    public ServerExtension(String... directives) {
        this.directives = directives;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestServer.start(directives);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    public int port() {
        return server.port();
    }

    public Server server() {
        return server.server();
    }

    public java.nio.file.Path dir() {
        return server.dir();
    }

    /** One command on a connection of its own; its raw reply. */
    public String call(String... args) throws java.io.IOException {
        try (RawConnection c = new RawConnection(port())) {
            return c.call(args);
        }
    }

    /** A new connection to the server, after FLUSHALL so each test starts from an empty dataset. */
    public RawConnection connectFlushed() throws java.io.IOException {
        RawConnection c = new RawConnection(port());
        c.call("FLUSHALL");
        return c;
    }
}
