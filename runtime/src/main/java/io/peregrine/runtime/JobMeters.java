package io.peregrine.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongSupplier;

/**
 * The job's meters. Threads count in plain fields and publish them at chunk and epoch boundaries;
 * meters read the published values, so metering costs nothing per event.
 *
 * <pre>
 * peregrine.events.in{stream,source}        records read (counter)
 * peregrine.decode.failures{stream}         records sent to the dead letters (counter)
 * peregrine.late.events{stream}             events sent to the late output (counter)
 * peregrine.watermark{stream}               the stream's watermark, epoch ms (gauge)
 * peregrine.watermark.lag.seconds{stream}   wall clock minus watermark (gauge)
 * peregrine.matches{pattern}                matches (counter)
 * peregrine.timeouts{pattern}               timed-out partial matches emitted (counter)
 * peregrine.output.rows{pattern,output}     rows written, output "matches" or "timeouts" (counter)
 * peregrine.partial.matches{pattern}        partial matches in progress (gauge)
 * peregrine.keys{pattern}                   keys with state (gauge)
 * peregrine.queue.depth{worker}             event batches queued for a worker (gauge)
 * </pre>
 */
final class JobMeters implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    JobMeters(MeterRegistry registry, JobPlan plan, Ingest ingest, List<Worker> workers, OutputStage output,
              List<? extends BlockingQueue<?>> queues, LongSupplier clockMillis) {
        this.registry = registry;
        for (Ingest.Input in : ingest.inputs) {
            String stream = plan.streams.get(in.stream).name();
            meters.add(FunctionCounter.builder("peregrine.events.in", in.publishedRecords, a -> a.get())
                    .tag("stream", stream).tag("source", in.name).description("records read")
                    .register(registry));
        }
        for (Ingest.StreamState st : ingest.streams) {
            String stream = st.def.name();
            meters.add(FunctionCounter.builder("peregrine.decode.failures", st.publishedFailures, a -> a.get())
                    .tag("stream", stream).description("records that could not be decoded").register(registry));
            meters.add(FunctionCounter.builder("peregrine.late.events", st.publishedLate, a -> a.get())
                    .tag("stream", stream).description("events at or below the watermark on arrival")
                    .register(registry));
            meters.add(Gauge.builder("peregrine.watermark", st.publishedWatermark, a -> finite(a.get()))
                    .tag("stream", stream).description("watermark, epoch milliseconds").strongReference(true)
                    .register(registry));
            meters.add(Gauge.builder("peregrine.watermark.lag.seconds", st.publishedWatermark,
                            a -> lag(clockMillis.getAsLong(), a.get()))
                    .tag("stream", stream).description("wall clock minus watermark").strongReference(true)
                    .register(registry));
        }
        for (int p = 0; p < plan.patterns.size(); p++) {
            String pattern = plan.patterns.get(p).name();
            int at = 5 * p;
            meters.add(FunctionCounter.builder("peregrine.matches", workers, w -> sum(w, at))
                    .tag("pattern", pattern).description("matches").register(registry));
            meters.add(FunctionCounter.builder("peregrine.timeouts", workers, w -> sum(w, at + 1))
                    .tag("pattern", pattern).description("timed-out partial matches emitted").register(registry));
            int index = 2 * p;
            meters.add(FunctionCounter.builder("peregrine.output.rows", output, o -> o.published.get(index))
                    .tag("pattern", pattern).tag("output", "matches").description("rows written").register(registry));
            if (plan.patterns.get(p).emitsTimeouts()) {
                meters.add(FunctionCounter.builder("peregrine.output.rows", output, o -> o.published.get(index + 1))
                        .tag("pattern", pattern).tag("output", "timeouts").description("rows written")
                        .register(registry));
            }
            meters.add(Gauge.builder("peregrine.partial.matches", workers, w -> sum(w, at + 3))
                    .tag("pattern", pattern).description("partial matches in progress").strongReference(true)
                    .register(registry));
            meters.add(Gauge.builder("peregrine.keys", workers, w -> sum(w, at + 4))
                    .tag("pattern", pattern).description("keys with state").strongReference(true)
                    .register(registry));
        }
        for (int w = 0; w < queues.size(); w++) {
            meters.add(Gauge.builder("peregrine.queue.depth", queues.get(w), q -> q.size())
                    .tag("worker", Integer.toString(w)).description("event batches queued for the worker")
                    .strongReference(true).register(registry));
        }
    }

    private static double sum(List<Worker> workers, int at) {
        long s = 0;
        for (Worker w : workers) {
            s += w.published.get(at);
        }
        return s;
    }

    private static double finite(long wm) {
        return wm == Long.MIN_VALUE || wm == Long.MAX_VALUE ? Double.NaN : wm;
    }

    private static double lag(long now, long wm) {
        return wm == Long.MIN_VALUE || wm == Long.MAX_VALUE ? Double.NaN : (now - wm) / 1000.0;
    }

    /** Removes the job's meters from the registry. */
    @Override
    public void close() {
        for (Meter m : meters) {
            registry.remove(m);
        }
    }
}
