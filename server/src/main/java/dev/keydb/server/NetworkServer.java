package dev.keydb.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The listening sockets and the {@code server-threads} event loops (native epoll when the
 * platform has it, NIO otherwise). Each accepted connection gets a {@link ClientHandler}.
 */
final class NetworkServer {
    private final Server server;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private final List<Channel> listeners = new ArrayList<>();
    private int boundPort;

    NetworkServer(Server server) {
        this.server = server;
    }

    static boolean nativeTransport() {
        return Epoll.isAvailable();
    }

    void start(List<String> bind, int port, int threads, int backlog) throws InterruptedException {
        boolean epoll = nativeTransport();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("keydb-accept"), factory);
        // New connections avoid the event loop running a script: it reads nothing until the script
        // ends, and a SCRIPT KILL sent on a connection it owned would never be read. With a single
        // serving loop, a standby loop takes the connections made while a script runs on it.
        int serving = threads;
        workers = new MultiThreadIoEventLoopGroup(Math.max(threads, 2), new io.netty.util.concurrent.ThreadPerTaskExecutor(
                new DeepStackThreadFactory("keydb-io")), executors -> {
                    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
                    return () -> {
                        int start = next.getAndIncrement() & Integer.MAX_VALUE;
                        for (int k = 0; k < serving; k++) {
                            io.netty.util.concurrent.EventExecutor e = executors[(start + k) % serving];
                            if (!server.scripts().runsOn(e)) {
                                return e;
                            }
                        }
                        for (int k = serving; k < executors.length; k++) {
                            if (!server.scripts().runsOn(executors[k])) {
                                return executors[k];
                            }
                        }
                        return executors[start % serving];
                    };
                }, factory);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, server.config().tcpKeepalive > 0)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ClientHandler(server));
                    }
                });
        int actualPort = port;
        for (String spec : bind) {
            boolean optional = spec.startsWith("-");
            String host = optional ? spec.substring(1) : spec;
            if (host.equals("*")) {
                host = "0.0.0.0";
            } else if (host.equals("::*")) {
                host = "::";
            }
            try {
                Channel ch = b.bind(new InetSocketAddress(host, actualPort)).sync().channel();
                listeners.add(ch);
                actualPort = ((InetSocketAddress) ch.localAddress()).getPort();
            } catch (Exception e) {
                if (optional) {
                    Log.verbose("Skipping optional bind address " + host + ": " + e.getMessage());
                    continue;
                }
                stop();
                throw new IllegalStateException("Warning: Could not create server TCP listening socket "
                        + host + ":" + port + ": " + e.getMessage(), e);
            }
        }
        if (listeners.isEmpty()) {
            stop();
            throw new IllegalStateException("Failed listening on port " + port + " (tcp), aborting.");
        }
        boundPort = actualPort;
        Log.notice("Server initialized; " + threads + " server thread(s), " + (epoll ? "epoll" : "nio") + " transport");
    }

    int port() {
        return boundPort;
    }

    /**
     * Threads that run commands get a deep stack ({@link #COMMAND_STACK_BYTES}): a script's
     * reply converts nested Lua tables recursively, and Redis allows about 8000 levels (Lua's
     * stack limit: "reached lua stack limit") where a default 1 MB Java stack gives out first.
     * Only the pages used are ever committed.
     */
    final class DeepStackThreadFactory extends DefaultThreadFactory {
        DeepStackThreadFactory(String poolName) {
            super(poolName);
        }

        @Override
        protected Thread newThread(Runnable r, String name) {
            Thread t = new io.netty.util.concurrent.FastThreadLocalThread(threadGroup, r, name, COMMAND_STACK_BYTES);
            loopThreads.add(t);
            return t;
        }
    }

    /** The event loops' threads (INFO used_cpu_*_main_thread). */
    private final List<Thread> loopThreads = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** User and system CPU seconds of the event loops and {@code extra}, from the JVM's per-thread clocks. */
    double[] threadsCpuSeconds(Thread extra) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long user = 0, total = 0;
        List<Thread> threads = new ArrayList<>(loopThreads);
        threads.add(extra);
        for (Thread t : threads) {
            long cpu = mx.getThreadCpuTime(t.getId());
            long u = mx.getThreadUserTime(t.getId());
            if (cpu > 0 && u >= 0) {
                total += cpu;
                user += u;
            }
        }
        return new double[] {user / 1e9, (total - user) / 1e9};
    }

    static final long COMMAND_STACK_BYTES = 16L << 20;

    void stop() {
        for (Channel ch : listeners) {
            ch.close().syncUninterruptibly();
        }
        listeners.clear();
        if (boss != null) {
            boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
