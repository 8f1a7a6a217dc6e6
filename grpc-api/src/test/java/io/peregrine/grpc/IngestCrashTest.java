package io.peregrine.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.StatusRuntimeException;
import io.peregrine.grpc.v1.IngestAck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events acknowledged by Ingest survive {@code kill -9} of the serving JVM: a restarted job over
 * the same log emits each of them exactly once.
 */
class IngestCrashTest {

    @TempDir
    Path tmp;

    private static int size(Set<String> s) {
        synchronized (s) {
            return s.size();
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedEventThroughKillDashNine() throws Exception {
        Path logDir = tmp.resolve("log");
        Path portFile = tmp.resolve("port");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashServerMain.class.getName(), logDir.toString(), portFile.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        Set<String> acknowledged = new HashSet<>();
        Set<String> sent = new HashSet<>();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(portFile)) {
                assertTrue(child.isAlive(), "the child died: " + Files.readString(tmp.resolve("child.log")));
                assertTrue(System.nanoTime() < end, "the child did not start");
                Thread.sleep(20);
            }
            String target = "127.0.0.1:" + Files.readString(portFile).strip();
            try (PeregrineClient client = PeregrineClient.builder(target).deadline(Duration.ofSeconds(10)).build()) {
                // batches of 50 events, one call each, from a second thread; kill -9 lands while one is in flight
                List<Throwable> errors = new ArrayList<>();
                Thread sender = new Thread(() -> {
                    for (int b = 0; b < 100_000; b++) {
                        List<String> batch = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            String card = "k" + b + "-" + i;
                            batch.add(Fixtures.txn(card, 600 + i, 1_000L * b + i));
                            synchronized (sent) {
                                sent.add(card);
                            }
                        }
                        try {
                            List<IngestAck> acks = client.ingest("transactions", List.of(batch), false);
                            if (acks.size() == 1 && acks.get(0).getAccepted()) {
                                synchronized (acknowledged) {
                                    for (int i = 0; i < 50; i++) {
                                        acknowledged.add("k" + b + "-" + i);
                                    }
                                }
                            }
                        } catch (RuntimeException e) {
                            errors.add(e);
                            return; // the server is gone: this batch was not acknowledged
                        }
                    }
                });
                sender.start();
                while (size(acknowledged) < 2_000 && sender.isAlive()) {
                    Thread.sleep(5);
                }
                child.destroyForcibly(); // SIGKILL
                sender.join(30_000);
                assertEquals(1, errors.size(), "the sender should end with the server gone: " + errors);
            }
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertTrue(acknowledged.size() >= 2_000, "too few acknowledged before the kill: " + acknowledged.size());

        // restart over the same log; end the input once it is read so the final watermark flushes every match
        Path out = tmp.resolve("out");
        ServedJob restarted = ServedJob.start(Fixtures.program(), Map.of(), logDir,
                new MatchHub(Fixtures.program(), ServerLimits.DEFAULTS), out, b -> b.parallelism(2));
        try {
            assertTrue(restarted.drainAndFinish(30_000), "the restarted job did not finish");
            assertEquals(ServedJob.State.FINISHED, restarted.state(), String.valueOf(restarted.failure()));
        } finally {
            restarted.close();
        }
        Map<String, Integer> seen = new HashMap<>();
        Pattern card = Pattern.compile("\"card_id\":\"(k[0-9]+-[0-9]+)\"");
        for (String line : Files.readAllLines(out.resolve("big.jsonl"))) {
            Matcher m = card.matcher(line);
            assertTrue(m.find(), line);
            seen.merge(m.group(1), 1, Integer::sum);
        }
        for (String k : acknowledged) {
            assertEquals(1, seen.getOrDefault(k, 0), "acknowledged event " + k + " seen " + seen.get(k) + " times");
        }
        for (Map.Entry<String, Integer> e : seen.entrySet()) {
            assertEquals(1, e.getValue(), "event " + e.getKey() + " emitted " + e.getValue() + " times");
            assertTrue(sent.contains(e.getKey()), "never sent: " + e.getKey());
        }
        System.out.printf("crash test: %d events acknowledged before kill -9, %d replayed (%d sent)%n",
                acknowledged.size(), seen.size(), sent.size());
    }
}
