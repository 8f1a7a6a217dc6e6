package io.peregrine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.Program;
import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.Row;
import io.peregrine.runtime.sink.InMemorySink;
import io.peregrine.runtime.source.Sources;
import io.peregrine.runtime.source.TransactionGenerator;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Inputs that do not end: idle inputs, cancelling. */
class JobLiveInputTest {

    private static final long T0 = 1_767_225_600_000L;

    @Test
    @Timeout(30)
    void shouldLetAQuietInputGoIdleSoThatTheOtherOneMovesTheWatermark() throws Exception {
        StreamDef s = TestPrograms.transactions(0);
        Program program = TestPrograms.program(s, TestPrograms.smallThenLarge(s));
        StringBuilder lines = new StringBuilder();
        lines.append(TestPrograms.json("c1", 0.5, "US", T0)).append('\n');
        lines.append(TestPrograms.json("c1", 900, "US", T0 + 1000)).append('\n');
        lines.append(TestPrograms.json("c2", 1, "US", T0 + 5000)).append('\n');
        PipedOutputStream busyWriter = new PipedOutputStream();
        PipedInputStream busy = new PipedInputStream(busyWriter, 1 << 16);
        PipedOutputStream quietWriter = new PipedOutputStream();
        PipedInputStream quiet = new PipedInputStream(quietWriter);
        InMemorySink<Row> sink = new InMemorySink<>();
        Job job = Job.builder(program)
                .input("transactions", Sources.stream("busy", () -> busy))
                .input("transactions", Sources.stream("quiet", () -> quiet))
                .sink("small_then_large", sink)
                .idleTimeout(Duration.ofMillis(100))
                .parallelism(2)
                .build();
        CompletableFuture<JobSummary> run = CompletableFuture.supplyAsync(job::run);
        busyWriter.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        busyWriter.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sink.records().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, sink.records().size(), "the match came out although the quiet input never spoke");
        job.cancel();
        JobSummary summary = run.get(20, TimeUnit.SECONDS);
        assertEquals(3, summary.events());
        assertTrue(sink.isClosed());
        busyWriter.close();
        quietWriter.close();
    }

    @Test
    @Timeout(30)
    void shouldStopWhenCancelled() throws Exception {
        StreamDef s = TestPrograms.transactions(2_000);
        Program program = TestPrograms.program(s, TestPrograms.smallThenLarge(s));
        InMemorySink<Row> sink = new InMemorySink<>();
        Job job = Job.builder(program)
                .input("transactions", Sources.generator(TransactionGenerator.Config.of(1, Long.MAX_VALUE)))
                .sink("small_then_large", sink)
                .parallelism(2)
                .build();
        CompletableFuture<JobSummary> run = CompletableFuture.supplyAsync(job::run);
        Thread.sleep(300);
        job.cancel();
        JobSummary summary = run.get(20, TimeUnit.SECONDS);
        assertTrue(summary.events() > 0);
        assertTrue(sink.isClosed());
    }
}
