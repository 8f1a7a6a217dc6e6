package io.peregrine.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.schema.Row;
import io.peregrine.dsl.schema.Schema;
import io.peregrine.grpc.v1.Field;
import io.peregrine.grpc.v1.MatchRow;
import io.peregrine.runtime.sink.JsonWriter;
import io.peregrine.runtime.sink.RowJsonEncoder;
import io.peregrine.runtime.sink.Sink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fans a job's pattern rows out to MatchService subscribers. Give the job {@link #sink} (and
 * {@link #timeoutSink}) for each pattern; the job's output thread calls them and never blocks
 * here: each subscriber has a bounded queue, and one that is full is dropped with
 * RESOURCE_EXHAUSTED. With no subscribers a write costs one volatile read.
 */
public final class MatchHub {

    private final Map<String, Topic> topics = new HashMap<>();
    private final int bufferRows;
    private final int maxSubscribers;
    private final AtomicInteger subscribers = new AtomicInteger();
    private volatile Executor executor = Runnable::run;

    public MatchHub(Program program, ServerLimits limits) {
        this.bufferRows = limits.subscriberBufferRows();
        this.maxSubscribers = limits.maxSubscribers();
        for (CompiledPattern p : program.patterns()) {
            topics.put(p.name(), new Topic(p.name(), p.outputSchema(), false));
            if (p.emitsTimeouts()) {
                topics.put(p.name() + "\0timeouts", new Topic(p.name(), p.outputSchema(), true));
            }
        }
    }

    /** Where subscriber deliveries run (the server's executor). */
    void executor(Executor executor) {
        this.executor = executor;
    }

    /** The sink for a pattern's rows; pass it to {@code Job.Builder.sink}. */
    public Sink<Row> sink(String pattern) {
        Topic t = topics.get(pattern);
        if (t == null) {
            throw new IllegalArgumentException("unknown pattern " + pattern);
        }
        return t;
    }

    /** The sink for a pattern's timed-out partial matches (patterns with EMIT TIMEOUTS). */
    public Sink<Row> timeoutSink(String pattern) {
        Topic t = topics.get(pattern + "\0timeouts");
        if (t == null) {
            throw new IllegalArgumentException("pattern " + pattern + " emits no timeouts");
        }
        return t;
    }

    public boolean hasPattern(String pattern) {
        return topics.containsKey(pattern);
    }

    public boolean emitsTimeouts(String pattern) {
        return topics.containsKey(pattern + "\0timeouts");
    }

    public int subscribers() {
        return subscribers.get();
    }

    /** Registers a subscriber; false when the server has its maximum already. */
    boolean subscribe(String pattern, boolean timeouts, boolean json, boolean jsonOnly,
                      ServerCallStreamObserver<MatchRow> out) {
        if (subscribers.incrementAndGet() > maxSubscribers) {
            subscribers.decrementAndGet();
            return false;
        }
        Subscriber s = new Subscriber(pattern, json || jsonOnly, !jsonOnly, out);
        List<Topic> mine = new ArrayList<>();
        mine.add(topics.get(pattern));
        if (timeouts && emitsTimeouts(pattern)) {
            mine.add(topics.get(pattern + "\0timeouts"));
        }
        s.topics = mine;
        for (Topic t : mine) {
            t.add(s);
        }
        out.setOnReadyHandler(s::schedule);
        out.setOnCancelHandler(() -> {
            s.finished.set(true);
            s.remove();
        });
        return true;
    }

    /** One pattern's rows (or its timeouts): a copy-on-write array of subscribers. */
    private final class Topic implements Sink<Row> {
        final String pattern;
        final Schema schema;
        final boolean timeout;
        final RowJsonEncoder encoder;
        private volatile Subscriber[] subs = new Subscriber[0];

        Topic(String pattern, Schema schema, boolean timeout) {
            this.pattern = pattern;
            this.schema = schema;
            this.timeout = timeout;
            this.encoder = new RowJsonEncoder(schema);
        }

        synchronized void add(Subscriber s) {
            Subscriber[] a = Arrays.copyOf(subs, subs.length + 1);
            a[a.length - 1] = s;
            subs = a;
        }

        synchronized void remove(Subscriber s) {
            List<Subscriber> keep = new ArrayList<>(Arrays.asList(subs));
            keep.remove(s);
            subs = keep.toArray(new Subscriber[0]);
        }

        @Override
        public void write(Row row) {
            Subscriber[] a = subs;
            for (Subscriber s : a) {
                try {
                    s.offer(this, row);
                } catch (RuntimeException e) {
                    // a subscriber's trouble (its call gone, the server stopping) never reaches the job
                    s.finished.set(true);
                    s.remove();
                }
            }
        }

        @Override
        public void close() {
            for (Subscriber s : subs) {
                s.end();
            }
        }
    }

    private record Pending(Topic topic, Row row) {
    }

    /** One subscription: a bounded queue drained onto the call when the transport is ready. */
    private final class Subscriber {
        final String pattern;
        final boolean json;
        final boolean columns;
        final ServerCallStreamObserver<MatchRow> out;
        final ArrayBlockingQueue<Pending> queue = new ArrayBlockingQueue<>(bufferRows);
        final AtomicBoolean scheduled = new AtomicBoolean();
        final AtomicBoolean finished = new AtomicBoolean();
        volatile boolean ended;
        List<Topic> topics;
        private long sequence;
        private final JsonWriter writer = new JsonWriter();

        Subscriber(String pattern, boolean json, boolean columns, ServerCallStreamObserver<MatchRow> out) {
            this.pattern = pattern;
            this.json = json;
            this.columns = columns;
            this.out = out;
        }

        void offer(Topic t, Row row) {
            if (!queue.offer(new Pending(t, row))) {
                if (finished.compareAndSet(false, true)) {
                    remove();
                    execute(() -> {
                        try {
                            out.onError(Status.RESOURCE_EXHAUSTED.withDescription("subscriber fell " + bufferRows
                                    + " rows behind pattern " + pattern + "; dropped so the job is not held up")
                                    .asRuntimeException());
                        } catch (RuntimeException ignored) {
                            // already cancelled
                        }
                    });
                }
                return;
            }
            schedule();
        }

        private void execute(Runnable r) {
            try {
                executor.execute(r);
            } catch (RejectedExecutionException e) {
                // shutting down: the call is cancelled with the server
            }
        }

        void end() {
            ended = true;
            schedule();
        }

        void schedule() {
            if (scheduled.compareAndSet(false, true)) {
                try {
                    executor.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    // the server is shutting down: this subscription is over
                    finished.set(true);
                    remove();
                }
            }
        }

        synchronized void remove() {
            if (topics != null) {
                for (Topic t : topics) {
                    t.remove(this);
                }
                topics = null;
                subscribers.decrementAndGet();
            }
        }

        private void drain() {
            try {
                while (!finished.get() && out.isReady()) {
                    Pending p = queue.poll();
                    if (p == null) {
                        break;
                    }
                    out.onNext(toProto(p));
                }
                if (ended && queue.isEmpty() && finished.compareAndSet(false, true)) {
                    remove();
                    out.onCompleted();
                }
            } catch (RuntimeException e) {
                finished.set(true);
                remove();
            } finally {
                scheduled.set(false);
            }
            if (!finished.get() && (!queue.isEmpty() || ended) && out.isReady()) {
                schedule();
            }
        }

        private MatchRow toProto(Pending p) {
            MatchRow.Builder b = MatchRow.newBuilder().setPattern(pattern).setSequence(sequence++).setTimeout(p.topic().timeout);
            Row row = p.row();
            if (columns) {
                Schema schema = p.topic().schema;
                for (int i = 0; i < schema.size(); i++) {
                    b.addColumns(Field.newBuilder().setName(schema.column(i).name()).setValue(ProtoValues.column(row, i)));
                }
            }
            if (json) {
                writer.reset();
                p.topic().encoder.encode(row, writer);
                b.setJson(writer.toString());
            }
            return b.build();
        }
    }
}
