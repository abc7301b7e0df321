package dev.keydb.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** COMMAND introspection over the wire, with the exact shapes a real Redis 7.0 sends. */
class CommandCommandsTest {
    /** COMMAND INFO GET as redis-server 7.0.15 answers it in RESP2. */
    static final String GET_INFO_RESP2 = "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
            + "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n"
            + "*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n"
            + "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n"
            + "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
            + "*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";

    /** The same in RESP3 (sets and maps). */
    static final String GET_INFO_RESP3 = "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
            + "~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n"
            + "~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n"
            + "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n"
            + "$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
            + "%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n";

    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    RawConnection c;

    @BeforeEach
    void connect() throws Exception {
        c = new RawConnection(server.port());
    }

    @AfterEach
    void disconnect() throws Exception {
        c.close();
    }

    @Test
    void countIsTheTableSize() throws Exception {
        assertThat(c.call("COMMAND", "COUNT")).isEqualTo(":" + server.server().commands().size() + "\r\n");
        assertThat(c.call("COMMAND", "COUNT", "x")).isEqualTo("-ERR wrong number of arguments for 'command|count' command\r\n");
    }

    @Test
    void infoHasRedis7Shape() throws Exception {
        assertThat(c.call("COMMAND", "INFO", "get")).isEqualTo(GET_INFO_RESP2);
        assertThat(c.call("COMMAND", "INFO", "GET")).isEqualTo(GET_INFO_RESP2);
        assertThat(c.call("COMMAND", "INFO", "nosuch")).isEqualTo("*1\r\n$-1\r\n");
        assertThat(c.call("COMMAND", "INFO", "client|id")).isEqualTo("*1\r\n*10\r\n$9\r\nclient|id\r\n:2\r\n"
                + "*3\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@slow\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n");
        // DEBUG's 'protected' flag is hidden, as Redis hides it.
        assertThat(c.call("COMMAND", "INFO", "debug")).isEqualTo("*1\r\n*10\r\n$5\r\ndebug\r\n:-2\r\n"
                + "*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n"
                + "*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n");
        String client = c.call("COMMAND", "INFO", "client");
        assertThat(client).startsWith("*1\r\n*10\r\n$6\r\nclient\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*")
                .contains("$11\r\nclient|list\r\n:-2\r\n");
        // MSET's range: keys from 1 to the end, every second argument.
        assertThat(c.call("COMMAND", "INFO", "mset")).contains("$4\r\nmset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:-1\r\n:2\r\n")
                .contains("$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:2\r\n");

        c.call("HELLO", "3");
        assertThat(c.call("COMMAND", "INFO", "get")).isEqualTo(GET_INFO_RESP3);
    }

    @Test
    void allCommandsAndList() throws Exception {
        String all = c.call("COMMAND");
        assertThat(all).startsWith("*" + server.server().commands().size() + "\r\n");
        assertThat(c.call("COMMAND", "INFO")).isEqualTo(all);
        String list = c.call("COMMAND", "LIST");
        assertThat(list).contains("$3\r\nget\r\n").contains("$11\r\nclient|list\r\n");
        String pattern = c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "CLIENT*");
        assertThat(pattern).contains("$6\r\nclient\r\n").contains("$11\r\nclient|kill\r\n").doesNotContain("$3\r\nget\r\n");
        String conn = c.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "connection");
        assertThat(conn).contains("$4\r\nping\r\n").contains("$9\r\nclient|id\r\n").doesNotContain("$6\r\nclient\r\n");
        assertThat(c.call("COMMAND", "LIST", "FILTERBY", "MODULE", "x")).isEqualTo("*0\r\n");
        assertThat(c.call("COMMAND", "LIST", "FILTERBY", "bogus", "x")).isEqualTo("-ERR syntax error\r\n");
        assertThat(c.call("COMMAND", "LIST", "bogus")).isEqualTo("-ERR syntax error\r\n");
    }

    @Test
    void docs() throws Exception {
        assertThat(c.call("COMMAND", "DOCS", "get")).isEqualTo("*2\r\n$3\r\nget\r\n*8\r\n$7\r\nsummary\r\n$34\r\n"
                + "Returns the string value of a key.\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n"
                + "$10\r\ncomplexity\r\n$4\r\nO(1)\r\n");
        assertThat(c.call("COMMAND", "DOCS", "nosuch")).isEqualTo("*0\r\n");
        String client = c.call("COMMAND", "DOCS", "client");
        assertThat(client).startsWith("*2\r\n$6\r\nclient\r\n*10\r\n").contains("$11\r\nsubcommands\r\n")
                .contains("$11\r\nclient|kill\r\n*8\r\n$7\r\nsummary\r\n");
        c.call("HELLO", "3");
        assertThat(c.call("COMMAND", "DOCS", "client|id")).isEqualTo("%1\r\n$9\r\nclient|id\r\n%4\r\n$7\r\nsummary\r\n$48\r\n"
                + "Returns the client ID for the current connection\r\n$5\r\nsince\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n"
                + "$10\r\nconnection\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n");
    }

    @Test
    void getKeys() throws Exception {
        assertThat(c.call("COMMAND", "GETKEYS", "MSET", "a", "1", "c", "2")).isEqualTo("*2\r\n$1\r\na\r\n$1\r\nc\r\n");
        assertThat(c.call("COMMAND", "GETKEYS", "get", "k")).isEqualTo("*1\r\n$1\r\nk\r\n");
        assertThat(c.call("COMMAND", "GETKEYS", "del", "a", "b", "c")).isEqualTo("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
        assertThat(c.call("COMMAND", "GETKEYS", "nosuch", "x")).isEqualTo("-ERR Invalid command specified\r\n");
        assertThat(c.call("COMMAND", "GETKEYS", "client", "nosuch")).isEqualTo("-ERR Invalid command specified\r\n");
        assertThat(c.call("COMMAND", "GETKEYS", "ping", "x")).isEqualTo("-ERR The command has no key arguments\r\n");
        assertThat(c.call("COMMAND", "GETKEYS", "set", "a"))
                .isEqualTo("-ERR Invalid number of arguments specified for command\r\n");
        assertThat(c.call("COMMAND", "GETKEYS", "get"))
                .isEqualTo("-ERR wrong number of arguments for 'command|getkeys' command\r\n");
        assertThat(c.call("COMMAND", "GETKEYSANDFLAGS", "get", "a")).isEqualTo("*1\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n");
        assertThat(c.call("COMMAND", "GETKEYSANDFLAGS", "set", "a", "b"))
                .isEqualTo("*1\r\n*2\r\n$1\r\na\r\n*2\r\n+RW\r\n+update\r\n");
    }

    @Test
    void help() throws Exception {
        String help = c.call("COMMAND", "HELP");
        assertThat(help).startsWith("*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n")
                .endsWith("+HELP\r\n+    Prints this help.\r\n");
        assertThat(c.call("COMMAND", "BOGUS")).isEqualTo("-ERR unknown subcommand 'BOGUS'. Try COMMAND HELP.\r\n");
    }
}
