package dev.keydb.server;

import dev.keydb.server.command.CommandContext;
import dev.keydb.server.command.CommandFlag;
import dev.keydb.server.command.CommandSpec;
import dev.keydb.server.command.CommandTable;
import dev.keydb.server.commands.BitmapCommands;
import dev.keydb.server.commands.ClientCommands;
import dev.keydb.server.commands.CommandCommands;
import dev.keydb.server.commands.ConfigCommands;
import dev.keydb.server.commands.HashCommands;
import dev.keydb.server.commands.HyperLogLogCommands;
import dev.keydb.server.commands.SetCommands;
import dev.keydb.server.commands.ConnectionCommands;
import dev.keydb.server.commands.DebugCommands;
import dev.keydb.server.commands.ExpireCommands;
import dev.keydb.server.commands.ExpireMemberCommands;
import dev.keydb.server.commands.GeoCommands;
import dev.keydb.server.commands.InfoCommand;
import dev.keydb.server.commands.PersistenceCommands;
import dev.keydb.server.commands.KeyCommands;
import dev.keydb.server.commands.KeyDbCommands;
import dev.keydb.server.commands.LatencyCommand;
import dev.keydb.server.commands.LolwutCommand;
import dev.keydb.server.commands.MemoryCommand;
import dev.keydb.server.commands.MonitorCommand;
import dev.keydb.server.commands.SlowlogCommand;
import dev.keydb.server.commands.ObjectCommand;
import dev.keydb.server.commands.PubSubCommands;
import dev.keydb.server.commands.TransactionCommands;
import dev.keydb.server.commands.ListCommands;
import dev.keydb.server.commands.ServerCommands;
import dev.keydb.server.commands.SortCommand;
import dev.keydb.server.commands.StreamCommands;
import dev.keydb.server.commands.StringCommands;
import dev.keydb.server.commands.ZSetCommands;
import dev.keydb.server.commands.ScriptingCommands;
import dev.keydb.server.commands.FunctionCommands;
import dev.keydb.server.aof.Aof;
import dev.keydb.server.aof.AofCommands;
import dev.keydb.server.scripting.ScriptEngine;
import dev.keydb.server.config.ServerConfig;
import dev.keydb.storage.Keyspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.ArrayDeque;
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
    private final ClientPause pause = new ClientPause();
    private final BlockedClients blocked = new BlockedClients(this);
    private final PubSub pubsub = new PubSub(this);
    private final OutputLimits outputLimits;
    private final Watches watches = new Watches();
    private final Transactions transactions = new Transactions(this);
    private final KeyspaceEvents keyspaceEvents = new KeyspaceEvents(this);
    private final Tracking tracking = new Tracking(this);
    private final CronJobs cronJobs = new CronJobs(this);
    /** The Lua scripting engine (EVAL, SCRIPT); its Lua state is created on first use. */
    private final ScriptEngine scripts = new ScriptEngine(this);
    private final ScriptThread scriptThread;
    private final BusyScriptReplies busyReplies;
    /** Redis's server.dirty: changes to the dataset since start-up (each changed key or element batch counts). */
    private long dirty;
    /** The part of {@link #dirty} that commands do not propagate themselves (expired keys: propagated as DEL). */
    private long unpropagatedDirty;
    /** What changed the dataset, as replayable commands: the AOF's (and later replication's) source. */
    private final Propagation propagation = new Propagation();
    private volatile String replId = randomHex40();
    private volatile String replId2 = "0000000000000000000000000000000000000000";
    private final NetworkServer network = new NetworkServer(this);
    private final Persistence persistence = new Persistence(this);
    private final Aof aof;
    private ScheduledExecutorService cron;
    private ScheduledFuture<?> cronTask;
    private volatile Runnable exitAction = () -> { };
    private volatile boolean stopped;

    public Server(ServerConfig config) {
        this.config = config;
        this.outputLimits = new OutputLimits(this.config.clientOutputBufferLimits);
        this.keyspace = new Keyspace(config.databases);
        if (config.lastmodifiedTracking) {
            keyspace.trackModification();
        }
        this.runId = randomHex40();
        commands.addAll(
                new StringCommands(),
                new ListCommands(),
                new HashCommands(),
                new SetCommands(),
                new ZSetCommands(),
                new SortCommand(),
                new BitmapCommands(),
                new HyperLogLogCommands(),
                new GeoCommands(),
                new StreamCommands(),
                new KeyCommands(),
                new ExpireCommands(),
                new ExpireMemberCommands(),
                new ObjectCommand(),
                new ConnectionCommands(),
                new ServerCommands(),
                new ClientCommands(),
                new CommandCommands(),
                new DebugCommands(),
                new PubSubCommands(),
                new TransactionCommands(),
                new ConfigCommands(),
                new InfoCommand(),
                new MonitorCommand(),
                new SlowlogCommand(),
                new LatencyCommand(),
                new MemoryCommand(),
                new LolwutCommand(),
                new PersistenceCommands(),
                new KeyDbCommands(),
                new ScriptingCommands(),
                new FunctionCommands(),
                new AofCommands());
        this.dispatcher = new Dispatcher(this, commands);
        this.scriptThread = new ScriptThread(this);
        this.busyReplies = new BusyScriptReplies(this, commands, scripts);
        this.aof = new Aof(this);
        this.maxMemory = new MaxMemory(this);
        config.evictionApply = this::applyEvictionConfig;
        applyEvictionConfig();
        config.appendonlyApply = () -> {
            if (config.appendonly) {
                aof.enable();
            } else {
                aof.disable();
            }
        };
        keyspace.setEvents(new dev.keydb.storage.KeyEvents() {
            @Override
            public void expired(int db, byte[] key) {
                keyExpired(db, key);
            }

            @Override
            public void added(int db, byte[] key) {
                blocked.signal(db, key);
                cronJobs.added(db, key);
                keyspaceEvents.notify(KeyspaceEvents.NEW, "new", key, db);
            }

            @Override
            public void memberExpired(int db, byte[] key, byte[] member) {
                // A member leaving by its own TTL is a change to the key (WATCH, dirty).
                dirty++;
                unpropagatedDirty++;
                watches.touch(db, key);
                propagateMemberExpiry(db, key, member);
            }
        });
    }

    public ServerConfig config() { return config; }
    public Keyspace keyspace() { return keyspace; }
    public CommandTable commands() { return commands; }
    public ClientRegistry clients() { return clients; }
    public ServerStats stats() { return stats; }
    public long startMs() { return startMs; }
    /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: RESTORE payloads and RDB files are not checked against their CRC64. */
    public void skipChecksumValidation(boolean skip) {
        skipChecksumValidation = skip;
    }

    /** Whether RDB files and DUMP payloads get their checksum verified. */
    public boolean verifyChecksums() {
        return !skipChecksumValidation;
    }

    private volatile boolean skipChecksumValidation;

    /** DEBUG PAUSE-CRON: stops the periodic work (expiry, statistics, idle clients, save points). */
    public void pauseCron(boolean paused) {
        cronPaused = paused;
    }

    private volatile boolean cronPaused;

    /** Heap in use once started and loaded, before any client (INFO used_memory_startup). */
    public long startupMemory() { return startupMemory; }
    public MaxMemory maxMemory() { return maxMemory; }
    public ClientEviction clientEviction() { return clientEviction; }
    private final ClientEviction clientEviction = new ClientEviction(this);
    /** The time commands see (see {@link WallClock}). */
    public WallClock wallClock() { return wallClock; }
    private final WallClock wallClock = new WallClock();
    private final MaxMemory maxMemory;
    private volatile long startupMemory;
    /** CPU seconds (user, system) of the threads that run commands: event loops and the script thread. */
    public double[] commandThreadsCpuSeconds() {
        return network.threadsCpuSeconds(scriptThread.thread());
    }
    public String runId() { return runId; }
    /** Whether the network runs on native epoll (INFO multiplexing_api) rather than NIO. */
    public boolean nativeTransport() { return NetworkServer.nativeTransport(); }
    public ReentrantLock lock() { return lock; }
    public ClientPause clientPause() { return pause; }
    public BlockedClients blockedClients() { return blocked; }
    public PubSub pubsub() { return pubsub; }
    public OutputLimits outputLimits() { return outputLimits; }
    public Watches watches() { return watches; }
    public Transactions transactions() { return transactions; }
    public Dispatcher dispatcher() { return dispatcher; }
    public KeyspaceEvents keyspaceEvents() { return keyspaceEvents; }
    public Persistence persistence() { return persistence; }
    public Propagation propagation() { return propagation; }
    public Aof aof() { return aof; }
    public Tracking tracking() { return tracking; }
    /** KEYDB.CRON's scheduler. */
    public CronJobs cronJobs() { return cronJobs; }
    public ScriptEngine scripts() { return scripts; }
    ScriptThread scriptThread() { return scriptThread; }
    /** From a busy script's count hook (the lock holder): answers the clients queued for the script thread. */
    public void serveWhileScriptBusy() {
        scriptThread.serveWhileBusy(busyReplies);
    }

    /** Whether the caller runs on the script thread (where scripts never move from). */
    public boolean onScriptThread() { return scriptThread.isCurrent(); }

    /** A client without connection for scripts (Redis's lua_client): never listed, never blocks (CLIENT_DENY_BLOCKING). */
    public Client newScriptClient() {
        Client c = new Client(clients.nextId(), null, stats, System.currentTimeMillis());
        c.authenticated(true);
        c.executingMulti = true; // blocking commands answer as on timeout, as inside EXEC
        return c;
    }
    public long dirty() { return dirty; }

    /** The dirty counter without expirations: a command that moved it is propagated (Redis's call()). */
    public long propagatingDirty() { return dirty - unpropagatedDirty; }

    /**
     * Before replies are sent (end of a batch, a served blocked client): what was propagated
     * reaches the AOF, fsynced under appendfsync always (caller holds the lock).
     */
    public void beforeReplies() {
        aof.flush();
    }


    /** Changes that are not per key (FLUSHALL counts the keys it removed, as Redis). */
    public void addDirty(long n) {
        dirty += n;
    }

    /**
     * A database (or all of them, {@code db} -1) is about to be emptied: Redis's
     * signalFlushedDb — WATCHes of keys that exist are invalidated and every tracking client
     * gets a null invalidation. The caller holds the lock.
     */
    public void signalFlushed(int db, long now) {
        for (int d = 0; d < keyspace.databases(); d++) {
            if (db < 0 || d == db) {
                dev.keydb.storage.Database target = keyspace.db(d);
                watches.touchWhere(d, key -> target.exists(key, now));
            }
        }
        tracking.flushed();
    }

    /**
     * A command changed {@code key}: Redis's signalModifiedKey (WATCH) plus
     * notifyKeyspaceEvent, and one more change for the dirty counter (caller holds the lock).
     */
    public void keyChanged(int db, byte[] key, int eventType, String event) {
        dirty++;
        keyspace.db(db).reweigh(key); // its size changed (maxmemory's accounting)
        if (keyspace.tracksModification()) {
            keyspace.db(db).setModified(key, secondsSinceStart(System.currentTimeMillis()));
        }
        watches.touch(db, key);
        keyspaceEvents.notify(eventType, event, key, db);
        tracking.keyChanged(key); // client-side caching invalidation (Redis's trackingInvalidateKey)
    }

    /** The time base of per-key last-write times (OBJECT LASTMODIFIED): whole seconds since start. */
    public int secondsSinceStart(long nowMs) {
        return (int) Math.max(0, (nowMs - startMs) / 1000);
    }

    private static final byte[] HDEL = "HDEL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] SREM = "SREM".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] ZREM = "ZREM".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** A member that left by its own TTL (KeyDB's subkey expiry) is propagated as its removal: HDEL, SREM or ZREM. */
    private void propagateMemberExpiry(int db, byte[] key, byte[] member) {
        Object v = keyspace.db(db).peek(key);
        byte[] cmd = v instanceof dev.keydb.storage.types.HashValue ? HDEL
                : v instanceof dev.keydb.storage.types.SetValue ? SREM
                : v instanceof dev.keydb.storage.types.ZSetValue ? ZREM : null;
        if (cmd != null) {
            propagation.now(db, new byte[][] {cmd, key, member});
        }
    }

    /** maxmemory-policy and the LFU tuning: what the keys' access clocks count, and a fresh eviction pool. */
    private void applyEvictionConfig() {
        var policy = dev.keydb.storage.EvictionPolicy.fromConfig(config.maxmemoryPolicy);
        var clock = keyspace.accessClock();
        clock.useLfu(policy.usesLfu());
        clock.setLogFactor((int) config.lfuLogFactor);
        clock.setDecayMinutes((int) config.lfuDecayTime);
        maxMemory.usePolicy(policy);
    }

    /** A key removed by maxmemory's eviction (Redis's deleteEvictedKeyAndPropagate). */
    void keyEvicted(int db, byte[] key) {
        keyRemovedByServer(db, key, config.lazyfreeLazyEviction, false);
    }

    /** A key removed by expiry (lazily or by the active cycle). */
    private void keyExpired(int db, byte[] key) {
        keyRemovedByServer(db, key, config.lazyfreeLazyExpire, true);
    }

    /**
     * A key the server removed on its own: counted as a change, propagated as a DEL (no
     * command did it), WATCHers and client-side caches told, the "expired" or "evicted" event.
     */
    private void keyRemovedByServer(int db, byte[] key, boolean lazyFree, boolean byExpiry) {
        dirty++;
        unpropagatedDirty++;
        propagation.deletion(db, key, lazyFree);
        if (byExpiry) {
            watches.touchExpired(db, key);
            keyspaceEvents.notify(KeyspaceEvents.EXPIRED, "expired", key, db);
            tracking.keyExpired(key);
        } else {
            watches.touch(db, key);
            keyspaceEvents.notify(KeyspaceEvents.EVICTED, "evicted", key, db);
            tracking.keyChanged(key);
        }
    }
    /** Replication ID (INFO replication master_replid) and the previous one (master_replid2). */
    public String replId() { return replId; }
    public String replId2() { return replId2; }

    /** DEBUG CHANGE-REPL-ID: a new replication ID and no previous one, as Redis's changeReplicationId + clearReplicationId2. */
    public void changeReplId() {
        replId = randomHex40();
        replId2 = "0000000000000000000000000000000000000000";
    }

    private static String randomHex40() {
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

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
        if (config.appendonly) {
            aof.startAtStartup(); // the AOF wins over the RDB, as Redis
        } else {
            persistence.loadAtStartup();
        }
        scriptThread.start();
        network.start(config.bind, config.port, config.serverThreads, config.tcpBacklog);
        cron = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(null, r, "keydb-cron", NetworkServer.COMMAND_STACK_BYTES); // runs KEYDB.CRON scripts
            t.setDaemon(true);
            return t;
        });
        cronTask = cron.schedule(this::cronLoop, 100, TimeUnit.MILLISECONDS);
        startupMemory = ServerStats.usedMemory();
        Log.notice("Ready to accept connections tcp (port " + port() + ")");
    }

    /** Runs a batch of commands parsed from one read, under a single acquisition of the lock. */
    void executeBatch(CommandContext ctx, List<byte[][]> batch) {
        Client client = ctx.client();
        if (!lockUnlessBusy()) {
            busyReplies.answer(ctx, batch);
            return;
        }
        try {
            if (ctx.reply().buffer() != null) {
                pubsub.drainPendingInto(client, ctx.reply().buffer());
            }
            if (!client.held.isEmpty() || client.blocked()) {
                // CLIENT PAUSE or a blocking command: earlier commands are still held; new ones queue behind them.
                client.held.addAll(batch);
                runHeld(ctx);
                return;
            }
            for (int i = 0; i < batch.size(); i++) {
                if (client.isCloseAfterReply() || client.killed()) {
                    break;
                }
                byte[][] argv = batch.get(i);
                if (heldByPause(client, argv)) {
                    client.held.addAll(batch.subList(i, batch.size()));
                    hold(client);
                    break;
                }
                dispatcher.executeFromClient(ctx, argv);
                if (ctx.takeMoved()) {
                    // A script that may run long: it and what follows it run on the script thread.
                    client.held.addAll(batch.subList(i, batch.size()));
                    scriptThread.handOff(ctx);
                    break;
                }
                blocked.serveReady(dispatcher);
                if (client.blocked()) {
                    // A blocking command waits: what the client pipelined after it waits too.
                    client.held.addAll(batch.subList(i + 1, batch.size()));
                    if (client.channel() != null) {
                        client.channel().config().setAutoRead(false);
                    }
                    break;
                }
            }
            tracking.broadcast(client, ctx.reply()); // BCAST invalidations before this batch's replies are flushed
        } finally {
            beforeReplies(); // on every path, the held-commands one included
            lock.unlock();
        }
        // Under appendfsync always the caller sends the replies only after AOF.syncWritten().
    }

    /**
     * Takes the keyspace lock from an event loop, unless a script has run past
     * busy-reply-threshold (then false, and the lock is not held). A running script holds the
     * lock for its whole run, so the lock is polled rather than waited for: an event loop must
     * never be stuck behind a script, or its clients could not get -BUSY (Redis answers them
     * from processEventsWhileBlocked).
     */
    public boolean lockUnlessBusy() {
        while (true) {
            if (scripts.busy()) {
                return false;
            }
            try {
                if (lock.tryLock(10, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lock.lock();
                return true;
            }
        }
    }

    /**
     * Runs {@code action} under the lock from an event loop ({@link #lockUnlessBusy}); while a
     * script is busy it is retried on {@code loop} every 10 ms instead of waiting.
     */
    void underLockFromEventLoop(io.netty.util.concurrent.EventExecutor loop, Runnable action) {
        if (!lockUnlessBusy()) {
            try {
                loop.schedule(() -> underLockFromEventLoop(loop, action), 10, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // the loop is gone with the server
            }
            return;
        }
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    // ---- CLIENT PAUSE mechanics -------------------------------------------------------------
    // A paused client's not-yet-run commands stay queued on the client (Client.held), its
    // channel stops being read (autoRead off), and its event loop runs them when the pause
    // ends: a task is scheduled at the pause deadline, and CLIENT UNPAUSE runs one at once.
    // Commands are never reordered: once something is held, everything after it is held too.

    /**
     * Whether the current pause holds this command (Redis 7.0 processCommand): ALL holds every
     * command; WRITE holds write and may-replicate commands once lookup, arity and
     * authentication passed (those errors are answered at once, as Redis does). Replicas are
     * never paused (none exist yet). A transaction EXEC should be held when its queue writes.
     */
    private boolean heldByPause(Client client, byte[][] argv) {
        ClientPause.Type type = pause.current();
        if (type == ClientPause.Type.NONE) {
            return false;
        }
        if (type == ClientPause.Type.ALL) {
            return true;
        }
        CommandSpec spec = commands.resolve(argv);
        if (spec == null || !spec.arityAccepts(argv.length) || (!client.authenticated() && !spec.has(CommandFlag.NO_AUTH))) {
            return false;
        }
        return spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE);
    }

    /** Stops reading from a client with held commands and schedules its resume at the pause deadline. */
    private void hold(Client client) {
        if (client.channel() == null) {
            return;
        }
        client.channel().config().setAutoRead(false);
        if (!client.resumeScheduled && client.resumer != null) {
            client.resumeScheduled = true;
            // +1 ms so the task does not run just before the deadline and re-hold.
            client.channel().eventLoop().schedule(client.resumer, pause.remainingNanos() + 1_000_000, TimeUnit.NANOSECONDS);
        }
    }

    /** Runs held commands in order until one is still held (caller holds the lock). */
    private void runHeld(CommandContext ctx) {
        Client client = ctx.client();
        ArrayDeque<byte[][]> held = client.held;
        while (!held.isEmpty()) {
            if (client.isCloseAfterReply() || client.killed()) {
                held.clear();
                return;
            }
            if (client.blocked()) {
                return; // resumed again when served or timed out
            }
            byte[][] argv = held.peekFirst();
            if (heldByPause(client, argv)) {
                hold(client);
                return;
            }
            held.pollFirst();
            dispatcher.executeFromClient(ctx, argv);
            if (ctx.takeMoved()) {
                held.addFirst(argv);
                scriptThread.handOff(ctx);
                return;
            }
            blocked.serveReady(dispatcher);
        }
        if (client.blocked() || client.scriptPending) {
            return; // its event loop reads from it again once the script thread is done with it
        }
        // Nothing held any more: read from the client again (unless it is a slow reader).
        if (client.channel() != null && client.channel().isWritable()) {
            client.channel().config().setAutoRead(true);
        }
    }

    /**
     * On the script thread, under the lock: runs a handed-off client's held commands, the
     * script command first, until none is left or one is still held (blocked or paused).
     */
    void runHandedOff(CommandContext ctx) {
        runHeld(ctx);
        tracking.broadcast(ctx.client(), ctx.reply());
    }

    /**
     * Called on the client's event loop when a pause may have ended; the handler flushes the
     * replies. False, with nothing run, while a script is busy (the handler tries again later).
     */
    boolean resumeHeld(CommandContext ctx) {
        if (!lockUnlessBusy()) {
            return false;
        }
        ctx.client().resumeScheduled = false;
        try {
            runHeld(ctx);
            beforeReplies();
        } finally {
            lock.unlock();
        }
        return true;
    }

    /** CLIENT PAUSE (caller holds the lock). */
    public void pauseClients(ClientPause.Type type, long millis) {
        pause.pause(type, millis);
    }

    /** CLIENT UNPAUSE (caller holds the lock): ends the pause and resumes held clients now. */
    public void unpauseClients() {
        pause.unpause();
        for (Client c : clients.all()) {
            if (!c.held.isEmpty() && c.resumer != null && c.channel() != null) {
                c.channel().eventLoop().execute(c.resumer);
            }
        }
    }

    private long lastExpireMs;
    private long lastSlowTickMs;

    /** Runs a cron tick, then schedules the next one after 1/hz s (at most 100 ms), so CONFIG SET hz applies at once. */
    private void cronLoop() {
        cronTick();
        if (!stopped) {
            try {
                cronTask = cron.schedule(this::cronLoop, Math.max(1, Math.min(100, 1000 / config.hz)), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down
            }
        }
    }

    /**
     * Periodic work: statistics samples every 100 ms, and at {@code hz} the active expiry
     * cycle, with a time budget of a quarter of its period as Redis's slow cycle.
     */
    private void cronTick() {
        wallClock.refresh(); // before anything that may wait for the lock, and paused or not
        if (cronPaused) {
            return; // DEBUG PAUSE-CRON 1
        }
        try {
            long now = System.currentTimeMillis();
            boolean slowTick = now - lastSlowTickMs >= 100;
            if (slowTick) {
                lastSlowTickMs = now;
                maxMemory.sampleClientBuffers();
                stats.sample(now, maxMemory.used());
                if (config.maxmemory > 0) {
                    lock.lock();
                    try {
                        maxMemory.evictToFit(); // what the commands' time limit left (Redis's evictionTimeProc)
                        beforeReplies();
                    } finally {
                        lock.unlock();
                    }
                }
            }
            int hz = config.hz;
            // Active expiry pauses with CLIENT PAUSE (as Redis 7) and with DEBUG SET-ACTIVE-EXPIRE 0.
            if (now - lastExpireMs >= 1000 / hz && config.activeExpireEnabled && !pause.active()) {
                lastExpireMs = now;
                long budgetNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, 250 / hz));
                lock.lock();
                try {
                    keyspace.activeExpireCycle(now, budgetNanos);
                    beforeReplies();
                } finally {
                    lock.unlock();
                }
            }
            if (slowTick) {
                closeIdleClients(now);
                lock.lock();
                try {
                    clientEviction.evictIfNeeded(); // reads the MONITOR set, which the lock guards
                    aof.cron(); // scheduled or automatic rewrite
                    persistence.cron(now); // finished or scheduled BGSAVE, save points
                } finally {
                    lock.unlock();
                }
            }
            cronJobs.tick(now);
            if (tracking.broadcastPending()) { // BCAST keys changed outside a client's batch (expiry, resumed clients)
                lock.lock();
                try {
                    tracking.broadcast(null, null);
                } finally {
                    lock.unlock();
                }
            }
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
            // Clients held by CLIENT PAUSE are blocked, and Redis never times out blocked clients.
            if (now - c.lastInteractionMs() > timeout * 1000 && !c.paused() && !c.blocked() && !c.scriptPending) {
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
        lock.lock();
        try {
            persistence.killBackgroundSave();
        } finally {
            lock.unlock();
        }
        network.stop();
        scriptThread.stop();
        aof.close();
        Log.notice("KeyDB is now ready to exit, bye bye...");
        exitAction.run();
    }

    public boolean stopped() {
        return stopped;
    }
}
