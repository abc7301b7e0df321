package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Protected mode's decision (tests cannot connect from a non-loopback address on this
 * machine, so the rule itself is tested) and its refusal text, which is Redis's.
 */
class ProtectedModeTest {
    @Test
    void refusesOnlyRemotePeersWithoutPassword() {
        assertThat(ClientHandler.deniedByProtectedMode(true, "", false)).isTrue();
        assertThat(ClientHandler.deniedByProtectedMode(true, "", true)).isFalse();
        assertThat(ClientHandler.deniedByProtectedMode(true, "secret", false)).isFalse();
        assertThat(ClientHandler.deniedByProtectedMode(false, "", false)).isFalse();
    }

    @Test
    void refusalTextIsRedisOwn() {
        assertThat(ClientHandler.PROTECTED_MODE_MESSAGE)
                .startsWith("-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user.")
                .contains("'CONFIG SET protected-mode no'")
                .endsWith("the outside.\r\n");
    }

    @Test
    void loopbackClientsOfAProtectedServerAreServed() throws Exception {
        try (TestServer s = TestServer.start("--protected-mode", "yes"); RawConnection c = new RawConnection(s.port())) {
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
    }
}
