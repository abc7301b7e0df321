package dev.keydb.server;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.commands.ConnectionCommands;
import dev.keydb.server.commands.KeyCommands;
import dev.keydb.server.commands.ServerCommands;
import dev.keydb.server.commands.StringCommands;
import dev.keydb.server.commands.ZSetCommands;
import dev.keydb.server.config.ServerConfig;
import dev.keydb.storage.Keyspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server: configuration, keyspace, the keyspace lock, the command table, connected
 * clients, statistics, the periodic cron and the network. Commands reach everything through
 * here; {@link #executeBatch} is the one place the lock is taken for client commands.
 */
public final class Server {
    public static final String VERSION = "7.0.15";

    private final ServerConfig config;
    private final Keyspace keyspace;
    private final ReentrantLock lock = new ReentrantLock();
    private final CommandTable commands = new CommandTable();
    private final Dispatcher dispatcher;
    private final ClientRegistry clients = new ClientRegistry();
    private final ServerStats stats = new ServerStats();
    private final long startMs = System.currentTimeMillis();
    private final String runId;
    private final NetworkServer network = new NetworkServer(this);
    private ScheduledExecutorService cron;
    private ScheduledFuture<?> cronTask;
    private volatile Runnable exitAction = () -> { };
    private volatile boolean stopped;

    public Server(ServerConfig config) {
        this.config = config;
        this.keyspace = new Keyspace(config.databases);
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        this.runId = HexFormat.of().formatHex(id);
        commands.addAll(new StringCommands(), new KeyCommands(), new ConnectionCommands(), new ServerCommands(), new ZSetCommands());
        this.dispatcher = new Dispatcher(this, commands);
    }

    public ServerConfig config() { return config; }
    public Keyspace keyspace() { return keyspace; }
    public CommandTable commands() { return commands; }
    public ClientRegistry clients() { return clients; }
    public ServerStats stats() { return stats; }
    public long startMs() { return startMs; }
    public String runId() { return runId; }
    public ReentrantLock lock() { return lock; }

    /** The port actually listened on (differs from the config when it asked for port 0). */
    public int port() {
        return network.port();
    }

    /** What SHUTDOWN does after the server stopped; the launcher exits the JVM, tests do nothing. */
    public void onExit(Runnable action) {
        this.exitAction = action;
    }

    public void start() throws IOException, InterruptedException {
        Path dir = Path.of(config.dir);
        Files.createDirectories(dir);
        network.start(config.bind, config.port, config.serverThreads, config.tcpBacklog);
        cron = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keydb-cron");
            t.setDaemon(true);
            return t;
        });
        cronTask = cron.scheduleAtFixedRate(this::cronTick, 100, 100, TimeUnit.MILLISECONDS);
        Log.notice("Ready to accept connections tcp (port " + port() + ")");
    }

    /** Runs a batch of commands parsed from one read, under a single acquisition of the lock. */
    void executeBatch(CommandContext ctx, List<byte[][]> batch) {
        Client client = ctx.client();
        lock.lock();
        try {
            for (byte[][] argv : batch) {
                if (client.isCloseAfterReply() || client.killed()) {
                    break;
                }
                dispatcher.execute(ctx, argv);
            }
        } finally {
            lock.unlock();
        }
    }

    private long lastExpireMs;

    /**
     * Periodic work: statistics samples every 100 ms, and at {@code hz} the active expiry
     * cycle, with a time budget of a quarter of its period as Redis's slow cycle.
     */
    private void cronTick() {
        try {
            long now = System.currentTimeMillis();
            stats.sample(now);
            int hz = config.hz;
            if (now - lastExpireMs >= 1000 / hz) {
                lastExpireMs = now;
                long budgetNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, 250 / hz));
                lock.lock();
                try {
                    keyspace.activeExpireCycle(now, budgetNanos);
                } finally {
                    lock.unlock();
                }
            }
            closeIdleClients(now);
        } catch (RuntimeException e) {
            Log.warning("cron failed: " + e);
        }
    }

    private void closeIdleClients(long now) {
        long timeout = config.timeoutSeconds;
        if (timeout <= 0) {
            return;
        }
        for (Client c : clients.all()) {
            if (now - c.lastInteractionMs() > timeout * 1000) {
                Log.verbose("Closing idle client");
                c.kill();
            }
        }
    }

    /** Stops listening, closes clients and the cron; then runs the exit action. Idempotent. */
    public void shutdown() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        Log.notice("User requested shutdown...");
        if (cronTask != null) {
            cronTask.cancel(false);
            cron.shutdownNow();
        }
        for (Client c : clients.all()) {
            c.kill();
        }
        network.stop();
        Log.notice("KeyDB is now ready to exit, bye bye...");
        exitAction.run();
    }

    public boolean stopped() {
        return stopped;
    }
}
