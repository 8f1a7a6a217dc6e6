package io.peregrine.grpc;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.services.HealthStatusManager;
import io.peregrine.dsl.Program;
import io.peregrine.feature.FeatureRequest;
import io.peregrine.feature.FeatureResponse;
import io.peregrine.feature.FeatureSetInfo;
import io.peregrine.feature.FeatureView;
import io.peregrine.feature.UnknownFeatureException;
import io.peregrine.grpc.v1.AdminServiceGrpc;
import io.peregrine.grpc.v1.FeatureServiceGrpc;
import io.peregrine.grpc.v1.IngestServiceGrpc;
import io.peregrine.grpc.v1.MatchServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Peregrine gRPC server: FeatureService, IngestService, MatchService and AdminService in
 * package {@code peregrine.v1}, plus gRPC health checking and server reflection.
 *
 * <pre>{@code
 * try (PeregrineServer server = PeregrineServer.builder()
 *         .port(50051)                          // 0 for any free port; binds 127.0.0.1 unless bind(...)
 *         .tokenFile(Path.of("tokens.txt"))     // bearer tokens with scopes (see TokenFile)
 *         .tls(cert, key).clientCa(ca)          // TLS, and mutual TLS with a client CA
 *         .job(servedJob)                       // status, ingest logs, match subscriptions
 *         .featureView(view)
 *         .build().start()) {
 *     server.awaitTermination();
 * }
 * }</pre>
 *
 * Without a token file the server refuses to listen on anything but a loopback address.
 */
public final class PeregrineServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeregrineServer.class);

    /** A view with no feature sets: every read is INVALID_ARGUMENT naming the (empty) catalogue. */
    static final FeatureView NO_FEATURES = new FeatureView() {
        @Override
        public List<FeatureSetInfo> featureSets() {
            return List.of();
        }

        @Override
        public FeatureResponse get(FeatureRequest request) {
            throw new UnknownFeatureException("unknown feature set " + request.featureSet());
        }
    };

    private final Server server;
    private final ExecutorService executor;
    private final ScheduledExecutorService scheduler;
    private final HealthStatusManager health;
    private final String address;

    private PeregrineServer(Server server, ExecutorService executor, ScheduledExecutorService scheduler,
                            HealthStatusManager health, String address) {
        this.server = server;
        this.executor = executor;
        this.scheduler = scheduler;
        this.health = health;
        this.address = address;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The bound port (-1 in process). */
    public int port() {
        return server.getPort();
    }

    /** host:port as bound, for messages. */
    public String address() {
        return address.endsWith(":0") ? address.substring(0, address.length() - 2) + ":" + port() : address;
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops taking calls, gives running ones up to 5 s, then cancels them. */
    @Override
    public void close() {
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    /** The scope each of our methods needs; health and reflection need none. */
    static Map<String, Scope> scopes() {
        Map<String, Scope> m = new HashMap<>();
        for (MethodDescriptor<?, ?> d : FeatureServiceGrpc.getServiceDescriptor().getMethods()) {
            m.put(d.getFullMethodName(), Scope.READ);
        }
        for (MethodDescriptor<?, ?> d : MatchServiceGrpc.getServiceDescriptor().getMethods()) {
            m.put(d.getFullMethodName(), Scope.READ);
        }
        for (MethodDescriptor<?, ?> d : IngestServiceGrpc.getServiceDescriptor().getMethods()) {
            m.put(d.getFullMethodName(), Scope.INGEST);
        }
        for (MethodDescriptor<?, ?> d : AdminServiceGrpc.getServiceDescriptor().getMethods()) {
            m.put(d.getFullMethodName(), Scope.ADMIN);
        }
        m.put(AdminServiceGrpc.getGetStatusMethod().getFullMethodName(), Scope.READ);
        return m;
    }

    public static final class Builder {
        private String bind = "127.0.0.1";
        private int port = 50051;
        private TokenFile tokens;
        private Path tlsCert;
        private Path tlsKey;
        private Path clientCa;
        private ServerLimits limits = ServerLimits.DEFAULTS;
        private FeatureView view;
        private ServedJob job;
        private Program program;
        private Checkpointing checkpoints;
        private ServerBuilder<?> serverBuilder;
        private int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

        private Builder() {}

        /** The address to listen on (default 127.0.0.1); a non-loopback one needs a token file. */
        public Builder bind(String host) {
            this.bind = host;
            return this;
        }

        /** The port (default 50051; 0 for any free port). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Bearer tokens from a file (see {@link TokenFile} for the format). */
        public Builder tokenFile(Path file) throws IOException {
            this.tokens = TokenFile.read(file);
            return this;
        }

        public Builder tokens(TokenFile tokens) {
            this.tokens = tokens;
            return this;
        }

        /** TLS with a PEM certificate chain and PKCS#8 PEM private key. */
        public Builder tls(Path certChain, Path privateKey) {
            this.tlsCert = certChain;
            this.tlsKey = privateKey;
            return this;
        }

        /** Mutual TLS: clients must present a certificate signed by this PEM CA. Needs {@link #tls}. */
        public Builder clientCa(Path ca) {
            this.clientCa = ca;
            return this;
        }

        public Builder limits(ServerLimits limits) {
            this.limits = limits;
            return this;
        }

        /** The features to serve (by default the job's, or none without a job). */
        public Builder featureView(FeatureView view) {
            this.view = view;
            return this;
        }

        /** The running job: status, ingest logs and match subscriptions. */
        public Builder job(ServedJob job) {
            this.job = job;
            this.program = job.program();
            return this;
        }

        /** The program, when there is no job (validation and status only). */
        public Builder program(Program program) {
            this.program = program;
            return this;
        }

        public Builder checkpointing(Checkpointing checkpoints) {
            this.checkpoints = checkpoints;
            return this;
        }

        /** Worker threads for calls (default max(4, 2 x cores)). */
        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        /** Serve on this builder instead of a socket (in-process tests); bind, port and TLS are then ignored. */
        public Builder serverBuilder(ServerBuilder<?> builder) {
            this.serverBuilder = builder;
            return this;
        }

        /**
         * Binds and starts.
         *
         * @throws IllegalStateException for a non-loopback address without tokens, or TLS half given
         * @throws IOException when the port cannot be bound or the TLS files cannot be read
         */
        public PeregrineServer start() throws IOException {
            String address = bind + ":" + port;
            ServerBuilder<?> sb = serverBuilder;
            if (sb == null) {
                InetAddress addr;
                try {
                    addr = InetAddress.getByName(bind);
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("cannot resolve bind address " + bind, e);
                }
                if (!addr.isLoopbackAddress() && tokens == null) {
                    throw new IllegalStateException("refusing to listen on " + bind
                            + " without a token file: anyone who can reach it could read features and send events."
                            + " Give a token file, or bind a loopback address");
                }
                if (!addr.isLoopbackAddress() && tlsCert == null) {
                    LOG.warn("listening on {} without TLS: bearer tokens and data cross the network in clear text", bind);
                }
                if ((tlsCert == null) != (tlsKey == null)) {
                    throw new IllegalStateException("TLS needs both a certificate and a private key");
                }
                if (clientCa != null && tlsCert == null) {
                    throw new IllegalStateException("a client CA (mutual TLS) needs a server certificate and key");
                }
                ServerCredentials creds;
                if (tlsCert != null) {
                    TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
                            .keyManager(tlsCert.toFile(), tlsKey.toFile());
                    if (clientCa != null) {
                        tls.trustManager(clientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
                    }
                    creds = tls.build();
                } else {
                    creds = InsecureServerCredentials.create();
                }
                sb = NettyServerBuilder.forAddress(new InetSocketAddress(addr, port), creds)
                        .maxConcurrentCallsPerConnection(limits.maxConcurrentCallsPerConnection());
                address = (addr.getHostAddress().contains(":") ? "[" + addr.getHostAddress() + "]" : addr.getHostAddress())
                        + ":" + port;
            }
            ExecutorService executor = Executors.newFixedThreadPool(threads, named("peregrine-grpc"));
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(named("peregrine-grpc-timer"));
            FeatureView features = view != null ? view : job != null ? job.job().featureView() : NO_FEATURES;
            MatchHub hub = job != null ? job.hub() : program != null ? new MatchHub(program, limits) : null;
            if (hub != null) {
                hub.executor(executor);
            }
            HealthStatusManager health = new HealthStatusManager();
            List<BindableService> services = new java.util.ArrayList<>();
            services.add(new FeatureServiceImpl(features, limits, scheduler));
            services.add(new IngestServiceImpl(job != null ? job.logs() : Map.of(), features, limits, scheduler));
            if (hub != null) {
                services.add(new MatchServiceImpl(hub));
            }
            Checkpointing cp = checkpoints != null ? checkpoints : job != null ? Checkpointing.of(job.job(), null) : null;
            services.add(new AdminServiceImpl(job, program, features, hub, cp));
            AuthInterceptor auth = tokens == null ? null : new AuthInterceptor(tokens, scopes());
            for (BindableService s : services) {
                ServerServiceDefinition def = s.bindService();
                sb.addService(auth == null ? def : ServerInterceptors.intercept(def, auth));
                health.setStatus(def.getServiceDescriptor().getName(), HealthCheckResponse.ServingStatus.SERVING);
            }
            sb.addService(health.getHealthService());
            sb.addService(ProtoReflectionServiceV1.newInstance());
            sb.executor(executor).maxInboundMessageSize(limits.maxMessageBytes());
            // A GetFeatures read never blocks (the FeatureView contract), so it runs on the transport
            // thread that decoded it: no hand-off to the pool, which is most of the latency at low load.
            String getFeatures = FeatureServiceGrpc.getGetFeaturesMethod().getFullMethodName();
            sb.callExecutor(new ServerCallExecutorSupplier() {
                @Override
                public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata metadata) {
                    return call.getMethodDescriptor().getFullMethodName().equals(getFeatures)
                            ? MoreExecutors.directExecutor() : null;
                }
            });
            Server server = sb.build().start();
            PeregrineServer ps = new PeregrineServer(server, executor, scheduler, health, address);
            LOG.info("peregrine gRPC on {} ({}{})", ps.address(), tlsCert == null ? "plaintext" : clientCa == null ? "TLS" : "mutual TLS",
                    tokens == null ? ", no tokens" : ", " + tokens.size() + " tokens");
            return ps;
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

}
