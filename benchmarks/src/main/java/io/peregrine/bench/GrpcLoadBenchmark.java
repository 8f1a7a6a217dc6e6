package io.peregrine.bench;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.feature.FeatureInfo;
import io.peregrine.feature.FeatureRequest;
import io.peregrine.feature.FeatureResponse;
import io.peregrine.feature.FeatureSetInfo;
import io.peregrine.feature.FeatureType;
import io.peregrine.feature.FeatureValue;
import io.peregrine.feature.FeatureView;
import io.peregrine.feature.KeyFeatures;
import io.peregrine.grpc.MatchHub;
import io.peregrine.grpc.PeregrineServer;
import io.peregrine.grpc.ServedJob;
import io.peregrine.grpc.ServerLimits;
import io.peregrine.grpc.v1.Event;
import io.peregrine.grpc.v1.FeatureServiceGrpc;
import io.peregrine.grpc.v1.GetFeaturesRequest;
import io.peregrine.grpc.v1.GetFeaturesResponse;
import io.peregrine.grpc.v1.IngestAck;
import io.peregrine.grpc.v1.IngestRequest;
import io.peregrine.grpc.v1.IngestServiceGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * GetFeatures latency under an open-loop load over a real loopback socket.
 *
 * <p>Requests are sent at fixed intended times (rate R: one every 1/R s) whether or not earlier
 * ones have answered, and each latency is measured from its <em>intended</em> send time, so a
 * stall delays every request scheduled behind it and shows in the percentiles (the correction
 * for coordinated omission; the uncorrected latency from the actual send is printed beside it).
 * Shapes: 1 key x 10 features, and 100 keys x 10 features. The server reads from an in-memory
 * {@link FeatureView} of 100,000 keys (a hash-map lookup per key), so the figures are the gRPC
 * layer's cost: transport, protobuf, validation, response building. Optionally a second client
 * ingests events at a fixed rate into a served job's durable log at the same time.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar grpc [--rates 1000,5000,10000,20000] [--shapes 1,100]
 *      [--seconds 10] [--warmup 5] [--ingest EVENTS_PER_S] [--keys 100000]
 * </pre>
 */
public final class GrpcLoadBenchmark {

    private static final int FEATURES = 10;

    private GrpcLoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<Integer> rates = List.of(1_000, 5_000, 10_000, 20_000);
        List<Integer> shapes = List.of(1, 100);
        int seconds = 10;
        int warmup = 5;
        int ingestRate = 0;
        int keys = 100_000;
        boolean freshness = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rates" -> rates = ints(args[++i]);
                case "--shapes" -> shapes = ints(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--ingest" -> ingestRate = Integer.parseInt(args[++i]);
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--freshness" -> freshness = true;
                case "-h", "--help" -> {
                    System.out.println("grpc [--rates 1000,5000,10000,20000] [--shapes 1,100] [--seconds 10] [--warmup 5]"
                            + " [--ingest EVENTS_PER_S [--freshness]] [--keys 100000]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        MapView view = new MapView(keys);
        Path dir = Files.createTempDirectory("grpc-bench");
        Program program = Programs.compile("bench.pg", """
                CREATE STREAM transactions (card_id STRING, amount DOUBLE, ts TIMESTAMP(3),
                  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (format = 'json');
                CREATE PATTERN big AS SELECT * FROM transactions MATCH_RECOGNIZE (
                  PARTITION BY card_id ORDER BY ts MEASURES B.amount AS amount
                  AFTER MATCH SKIP PAST LAST ROW PATTERN (B) DEFINE B AS B.amount > 1000000);
                """ + (freshness ? """
                CREATE FEATURES live_features ON transactions KEY card_id (
                  txn_count_1m = COUNT(*) OVER SLIDING INTERVAL '1' MINUTE
                );
                """ : ""));
        ServedJob job = ServedJob.start(program, Map.of(), dir.resolve("log"), new MatchHub(program, ServerLimits.DEFAULTS),
                null, b -> b.parallelism(1));
        // GetFeatures load reads the synthetic view; Ingest's wait_visible (the freshness probe) reads the job's own
        PeregrineServer server = PeregrineServer.builder().port(0).featureView(new BothViews(view, job.job().featureView()))
                .job(job).start();
        // responses are handled on the transport thread: the client adds no hand-off of its own to the figures
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + server.port(), InsecureChannelCredentials.create())
                .directExecutor().build();
        AtomicLong eventTime = new AtomicLong(1_700_000_000_000L);
        Ingester ingester = ingestRate > 0 ? new Ingester(channel, ingestRate, eventTime) : null;
        if (freshness && ingestRate <= 0) {
            throw new IllegalArgumentException("--freshness needs --ingest EVENTS_PER_S");
        }
        // the job keeps a feature set (work per event) only when freshness is measured
        Prober prober = freshness ? new Prober(channel, eventTime) : null;
        if (ingester != null) {
            ingester.start();
        }
        if (prober != null) {
            prober.start();
        }
        System.out.printf("GetFeatures over loopback, open loop, %d s per point after %d s warm-up; %d keys x %d features;"
                + " ingest %s; %d cores%n", seconds, warmup, keys, FEATURES,
                ingestRate > 0 ? ingestRate + " events/s" : "off", Runtime.getRuntime().availableProcessors());
        System.out.printf("%-6s %8s %9s %9s %9s %9s %9s | %9s %9s %7s%s%n", "keys", "rate/s", "achieved",
                "p50 ms", "p99 ms", "p99.9 ms", "max ms", "raw p99", "raw p99.9", "errors",
                prober != null ? String.format(" | %9s %9s %9s %6s %5s %9s", "fresh p50", "fresh p99", "fresh max", "probes", "late",
                        "waiting") : "");
        try {
            for (int shape : shapes) {
                for (int rate : rates) {
                    run(channel, view, shape, rate, warmup, false);
                    if (prober != null) {
                        prober.reset();
                    }
                    Result r = run(channel, view, shape, rate, seconds, true);
                    System.out.printf("%-6d %8d %9.0f %9.3f %9.3f %9.3f %9.3f | %9.3f %9.3f %7d", shape, rate, r.achieved,
                            ms(r.corrected.getValueAtPercentile(50)), ms(r.corrected.getValueAtPercentile(99)),
                            ms(r.corrected.getValueAtPercentile(99.9)), ms(r.corrected.getMaxValue()),
                            ms(r.raw.getValueAtPercentile(99)), ms(r.raw.getValueAtPercentile(99.9)), r.errors);
                    if (prober != null) {
                        Histogram f = prober.interval();
                        System.out.printf(" | %9.3f %9.3f %9.3f %6d %5d %9.0f", ms(f.getValueAtPercentile(50)),
                                ms(f.getValueAtPercentile(99)), ms(f.getMaxValue()), f.getTotalCount(),
                                prober.notVisible.getAndSet(0), prober.waitingMillis());
                    }
                    System.out.println();
                }
            }
        } finally {
            if (prober != null) {
                prober.stop();
            }
            if (ingester != null) {
                ingester.stop();
                System.out.printf("ingested %d events (%d acknowledged batches, %d failed calls)%n",
                        ingester.events.get(), ingester.batches.get(), ingester.failures.get());
            }
            channel.shutdownNow();
            server.close();
            job.close();
            // the ingest log of a run with --ingest is hundreds of MB
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static List<Integer> ints(String s) {
        List<Integer> out = new ArrayList<>();
        for (String p : s.split(",")) {
            out.add(Integer.parseInt(p.strip().replace("k", "000")));
        }
        return out;
    }

    record Result(Histogram corrected, Histogram raw, double achieved, long errors) {
    }

    private static Result run(ManagedChannel channel, MapView view, int keysPerRequest, int rate, int seconds,
                              boolean measure) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(keysPerRequest * 31L + rate);
        GetFeaturesRequest[] requests = new GetFeaturesRequest[1024];
        for (int i = 0; i < requests.length; i++) {
            GetFeaturesRequest.Builder b = GetFeaturesRequest.newBuilder().setFeatureSet("card_features");
            for (int k = 0; k < keysPerRequest; k++) {
                b.addKeys(view.keys[random.nextInt(view.keys.length)]);
            }
            requests[i] = b.build();
        }
        FeatureServiceGrpc.FeatureServiceStub stub = FeatureServiceGrpc.newStub(channel);
        Recorder corrected = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        Recorder raw = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicLong errors = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long interval = 1_000_000_000L / rate;
        long total = (long) rate * seconds;
        long start = System.nanoTime() + 1_000_000;
        for (long i = 0; i < total; i++) {
            long intended = start + i * interval;
            long now;
            while ((now = System.nanoTime()) < intended) {
                long gap = intended - now;
                if (gap > 60_000) {
                    LockSupport.parkNanos(gap - 50_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            long sent = now;
            stub.getFeatures(requests[(int) (i & 1023)], new StreamObserver<>() {
                @Override
                public void onNext(GetFeaturesResponse value) {
                }

                @Override
                public void onError(Throwable t) {
                    errors.incrementAndGet();
                    done.incrementAndGet();
                }

                @Override
                public void onCompleted() {
                    long end = System.nanoTime();
                    corrected.recordValue(Math.min(end - intended, TimeUnit.SECONDS.toNanos(60)));
                    raw.recordValue(Math.min(end - sent, TimeUnit.SECONDS.toNanos(60)));
                    done.incrementAndGet();
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (done.get() < total && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return measure ? new Result(corrected.getIntervalHistogram(), raw.getIntervalHistogram(), done.get() / elapsed, errors.get())
                : null;
    }

    /** 10 features per key, precomputed: each read is a map lookup and a list copy. */
    static final class MapView implements FeatureView {
        static final String SET = "card_features";
        final String[] keys;
        private final FeatureSetInfo set;
        private final List<String> names;
        private final Map<String, List<FeatureValue>> values = new ConcurrentHashMap<>();
        private final Map<String, Integer> index = new HashMap<>();

        MapView(int n) {
            List<FeatureInfo> infos = new ArrayList<>();
            for (int f = 0; f < FEATURES; f++) {
                FeatureType t = f % 3 == 0 ? FeatureType.BIGINT : f % 3 == 1 ? FeatureType.DOUBLE : FeatureType.STRING;
                infos.add(new FeatureInfo("f" + f, t, "f" + f));
                index.put("f" + f, f);
            }
            // on a stream the job does not have, so Ingest's wait_visible never waits on these made-up values
            set = new FeatureSetInfo(SET, "synthetic", "card_id", infos);
            names = infos.stream().map(FeatureInfo::name).toList();
            keys = new String[n];
            SplittableRandom r = new SplittableRandom(7);
            for (int k = 0; k < n; k++) {
                keys[k] = "card-" + k;
                List<FeatureValue> v = new ArrayList<>();
                for (int f = 0; f < FEATURES; f++) {
                    Object value;
                    if (f % 3 == 0) {
                        value = r.nextLong(1000);
                    } else if (f % 3 == 1) {
                        value = r.nextDouble() * 1000;
                    } else {
                        value = "c" + r.nextInt(50);
                    }
                    v.add(FeatureValue.present(value));
                }
                values.put(keys[k], List.copyOf(v));
            }
        }

        @Override
        public List<FeatureSetInfo> featureSets() {
            return List.of(set);
        }

        @Override
        public FeatureResponse get(FeatureRequest request) {
            List<KeyFeatures> rows = new ArrayList<>(request.keys().size());
            for (String k : request.keys()) {
                List<FeatureValue> v = values.get(k);
                rows.add(v == null ? new KeyFeatures(k, false, Long.MIN_VALUE, List.of())
                        : new KeyFeatures(k, true, 1_000_000L, v));
            }
            return new FeatureResponse(set.name(), request.features().isEmpty() ? names : request.features(), rows,
                    request.asOfMillis().orElse(1_000_000L), 999_000L);
        }
    }

    /** The synthetic feature set first, then the job's feature sets (a name served by both reads the synthetic one). */
    record BothViews(MapView synthetic, FeatureView job) implements FeatureView {
        @Override
        public List<FeatureSetInfo> featureSets() {
            List<FeatureSetInfo> all = new ArrayList<>(synthetic.featureSets());
            all.addAll(job.featureSets());
            return all;
        }

        @Override
        public FeatureResponse get(FeatureRequest request) {
            return request.featureSet().equals(MapView.SET) ? synthetic.get(request) : job.get(request);
        }
    }

    /**
     * Ingest-to-visible freshness: one event at a time (at most every 10 ms), each on its own Ingest call with wait_visible,
     * timed from the send to the acknowledgement that says the job's features show it. The ack
     * follows the log's fsync, the job reading the event back and the feature update, so this is
     * the whole path a read-after-write client waits for.
     */
    static final class Prober {
        private final IngestServiceGrpc.IngestServiceStub stub;
        private final AtomicLong eventTime;
        private final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        final AtomicLong notVisible = new AtomicLong();
        /** nanoTime the probe in flight was sent, 0 when none is: a job far behind shows here, not in the histogram. */
        private volatile long inFlightSince;
        private volatile boolean running = true;
        private Thread thread;

        Prober(ManagedChannel channel, AtomicLong eventTime) {
            this.stub = IngestServiceGrpc.newStub(channel);
            this.eventTime = eventTime;
        }

        void start() {
            thread = new Thread(this::loop, "bench-freshness");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }

        void reset() {
            latency.getIntervalHistogram();
            notVisible.set(0);
        }

        Histogram interval() {
            return latency.getIntervalHistogram();
        }

        double waitingMillis() {
            long since = inFlightSince;
            return since == 0 ? 0 : (System.nanoTime() - since) / 1e6;
        }

        private void loop() {
            long next = System.nanoTime();
            int n = 0;
            java.util.concurrent.Semaphore idle = new java.util.concurrent.Semaphore(1);
            while (running) {
                // one probe at a time, each on its own call: the server's wait_visible budget runs from the call's start
                try {
                    if (!idle.tryAcquire(1, TimeUnit.SECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                // the latest event time handed out, so the probe is never late behind the job's watermark
                long ts = eventTime.get();
                long sent = System.nanoTime();
                inFlightSince = sent;
                StreamObserver<IngestRequest> out = stub.ingest(new StreamObserver<>() {
                    @Override
                    public void onNext(IngestAck ack) {
                        if (ack.getVisible()) {
                            latency.recordValue(Math.min(System.nanoTime() - sent, TimeUnit.SECONDS.toNanos(60)));
                        } else {
                            notVisible.incrementAndGet();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        notVisible.incrementAndGet();
                        inFlightSince = 0;
                        idle.release();
                    }

                    @Override
                    public void onCompleted() {
                        inFlightSince = 0;
                        idle.release();
                    }
                });
                out.onNext(IngestRequest.newBuilder().setStream("transactions").setWaitVisible(true)
                        .addEvents(Event.newBuilder().setJson("{\"card_id\":\"probe-" + (n++ & 15) + "\",\"amount\":1.5,\"ts\":"
                                + ts + "}")).build());
                out.onCompleted();
                next += TimeUnit.MILLISECONDS.toNanos(10);
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    LockSupport.parkNanos(sleep);
                } else {
                    next = System.nanoTime();
                }
            }
        }
    }

    /** Sends events at a fixed rate in batches of 500, on one Ingest call, into the served job's log. */
    static final class Ingester {
        private final IngestServiceGrpc.IngestServiceStub stub;
        private final int rate;
        final AtomicLong events = new AtomicLong();
        final AtomicLong batches = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        private volatile boolean running = true;
        private Thread thread;

        private final AtomicLong eventTime;

        Ingester(ManagedChannel channel, int rate, AtomicLong eventTime) {
            this.stub = IngestServiceGrpc.newStub(channel);
            this.rate = rate;
            this.eventTime = eventTime;
        }

        void start() {
            thread = new Thread(this::loop, "bench-ingest");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }

        private void loop() {
            int batch = 500;
            long interval = 1_000_000_000L * batch / rate;
            SplittableRandom r = new SplittableRandom(3);
            StreamObserver<IngestRequest> out = stub.ingest(new ClientResponseObserver<IngestRequest, IngestAck>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<IngestRequest> s) {
                    // the fixed send rate is the load; flow control would only show as onNext buffering
                }

                @Override
                public void onNext(IngestAck ack) {
                    batches.incrementAndGet();
                    events.addAndGet(ack.getAppended());
                }

                @Override
                public void onError(Throwable t) {
                    failures.incrementAndGet();
                }

                @Override
                public void onCompleted() {
                }
            });
            long next = System.nanoTime();
            while (running) {
                IngestRequest.Builder b = IngestRequest.newBuilder().setStream("transactions");
                for (int i = 0; i < batch; i++) {
                    long ts = eventTime.incrementAndGet();
                    b.addEvents(Event.newBuilder().setJson("{\"card_id\":\"card-" + r.nextInt(100_000) + "\",\"amount\":"
                            + r.nextInt(500) + ".5,\"ts\":" + ts + "}"));
                }
                out.onNext(b.build());
                next += interval;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    LockSupport.parkNanos(sleep);
                }
            }
            out.onCompleted();
        }
    }
}
