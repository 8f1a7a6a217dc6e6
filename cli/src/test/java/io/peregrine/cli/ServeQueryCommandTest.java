package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.feature.FeatureInfo;
import io.peregrine.feature.FeatureRequest;
import io.peregrine.feature.FeatureResponse;
import io.peregrine.feature.FeatureSetInfo;
import io.peregrine.feature.FeatureType;
import io.peregrine.feature.FeatureValue;
import io.peregrine.feature.FeatureView;
import io.peregrine.feature.KeyFeatures;
import io.peregrine.grpc.PeregrineClient;
import io.peregrine.grpc.PeregrineServer;
import io.peregrine.grpc.v1.IngestAck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeQueryCommandTest {

    static final String PROGRAM = """
            CREATE STREAM transactions (
              card_id STRING, amount DOUBLE, ts TIMESTAMP(3),
              WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
            ) WITH (format = 'json');

            CREATE PATTERN big AS
            SELECT * FROM transactions
            MATCH_RECOGNIZE (
              PARTITION BY card_id
              ORDER BY ts
              MEASURES B.amount AS amount
              AFTER MATCH SKIP PAST LAST ROW
              PATTERN (B)
              DEFINE B AS B.amount > 500
            );
            """;

    @TempDir
    Path tmp;

    @Test
    void shouldServeIngestAndWriteMatchesUntilStopped() throws Exception {
        Path program = tmp.resolve("p.cep");
        Files.writeString(program, PROGRAM);
        Path file = tmp.resolve("t.jsonl");
        Files.write(file, List.of("{\"card_id\":\"f1\",\"amount\":800,\"ts\":1000}"));
        ServeCommand serve = new ServeCommand();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(serve);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        Path outDir = tmp.resolve("out");
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> cl.execute(program.toString(),
                "--grpc-port", "0", "--log-dir", tmp.resolve("log").toString(), "--out", outDir.toString(),
                "--input", "transactions=" + file, "-p", "1"));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (serve.boundPort < 0) {
            assertTrue(System.nanoTime() < end && !code.isDone(), "serve did not start: " + err);
            Thread.sleep(10);
        }
        assertTrue(out.toString().startsWith("serving " + program + " on 127.0.0.1:" + serve.boundPort), out.toString());
        try (PeregrineClient client = PeregrineClient.builder("127.0.0.1:" + serve.boundPort).build()) {
            List<IngestAck> acks = client.ingest("transactions", List.of(List.of(
                    "{\"card_id\":\"g1\",\"amount\":900,\"ts\":2000}", "{\"card_id\":\"g2\",\"amount\":1,\"ts\":9000}")), false);
            assertTrue(acks.get(0).getAccepted());
            Path big = outDir.resolve("big.jsonl");
            while (!Files.exists(big) || Files.readAllLines(big).size() < 2) {
                assertTrue(System.nanoTime() < end, "no matches written: " + err + " " + client.status()
                        + (Files.exists(big) ? Files.readAllLines(big) : "no file"));
                Thread.sleep(20);
            }
            assertEquals(List.of("{\"card_id\":\"f1\",\"amount\":800.0}", "{\"card_id\":\"g1\",\"amount\":900.0}"),
                    Files.readAllLines(big));
            // the program declares no feature sets: query says so and exits 2
            CliRunner.Result q = CliRunner.run("query", "card_features", "c1", "--target", "127.0.0.1:" + serve.boundPort);
            assertEquals(ExitCodes.USAGE, q.exitCode());
            assertEquals("peregrine: unknown feature set card_features (served: [])\n", q.err());
            // a savepoint of the running job, once per directory
            Path savepoint = tmp.resolve("sp");
            CliRunner.Result sp = CliRunner.run("savepoint", savepoint.toString(), "--target", "127.0.0.1:" + serve.boundPort);
            assertEquals(ExitCodes.OK, sp.exitCode(), sp.err());
            assertTrue(sp.out().matches("savepoint \\d+ written to " + java.util.regex.Pattern.quote(savepoint.toString())
                    + " \\([0-9,]+ bytes of state\\)\n"), sp.out());
            assertTrue(Files.isRegularFile(savepoint.resolve("MANIFEST")));
            sp = CliRunner.run("savepoint", savepoint.toString(), "--target", "127.0.0.1:" + serve.boundPort);
            assertEquals(ExitCodes.FAILURE, sp.exitCode());
            assertTrue(sp.err().startsWith("peregrine: FAILED_PRECONDITION: savepoint failed: savepoint directory "), sp.err());
        }
        serve.stop();
        assertEquals(ExitCodes.OK, code.get(20, TimeUnit.SECONDS));
    }

    @Test
    void shouldRefuseAnOpenAddressWithoutTokens() throws Exception {
        Path program = tmp.resolve("p.cep");
        Files.writeString(program, PROGRAM);
        CliRunner.Result r = CliRunner.run("serve", program.toString(), "--bind", "0.0.0.0", "--grpc-port", "0",
                "--log-dir", tmp.resolve("log").toString());
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().startsWith("peregrine: refusing to listen on 0.0.0.0 without a token file"), r.err());
        r = CliRunner.run("serve", program.toString(), "--tls-cert", "c.pem", "--log-dir", tmp.resolve("log").toString());
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals("peregrine: --tls-cert and --tls-key go together\n", r.err());
    }

    /** A view with one key, so the query command's table and JSON can be checked exactly. */
    static final class OneKeyView implements FeatureView {
        static final FeatureSetInfo SET = new FeatureSetInfo("card_features", "transactions", "card_id", List.of(
                new FeatureInfo("txn_count", FeatureType.BIGINT, "COUNT(*)"),
                new FeatureInfo("amount_avg", FeatureType.DOUBLE, "AVG(amount)"),
                new FeatureInfo("last_country", FeatureType.STRING, "LAST(country)")));

        @Override
        public List<FeatureSetInfo> featureSets() {
            return List.of(SET);
        }

        @Override
        public FeatureResponse get(FeatureRequest request) {
            List<String> names = request.features().isEmpty() ? List.of("txn_count", "amount_avg", "last_country") : request.features();
            List<KeyFeatures> rows = new ArrayList<>();
            for (String k : request.keys()) {
                List<FeatureValue> v = new ArrayList<>();
                for (String n : names) {
                    if (!k.equals("c1")) {
                        v.add(FeatureValue.notFound());
                    } else {
                        v.add(switch (n) {
                            case "txn_count" -> FeatureValue.present(4L);
                            case "amount_avg" -> FeatureValue.outOfWindow();
                            default -> FeatureValue.present("NL");
                        });
                    }
                }
                rows.add(new KeyFeatures(k, k.equals("c1"), k.equals("c1") ? 1_767_225_600_000L : Long.MIN_VALUE, v));
            }
            return new FeatureResponse(SET.name(), names, rows, request.asOfMillis().orElse(1_767_225_601_000L), 1_767_225_590_000L);
        }
    }

    @Test
    void shouldPrintFeaturesAsATableOrJson() throws Exception {
        try (PeregrineServer server = PeregrineServer.builder().port(0).featureView(new OneKeyView()).start()) {
            String target = "127.0.0.1:" + server.port();
            CliRunner.Result r = CliRunner.run("query", "card_features", "c1", "zz", "--target", target);
            assertEquals(ExitCodes.OK, r.exitCode(), r.err());
            assertEquals("""
                    key  last_event            txn_count  amount_avg     last_country
                    c1   2026-01-01T00:00:00Z  4          out-of-window  NL
                    zz   -                     -          -              -
                    card_features as of 2026-01-01T00:00:01Z, watermark 2025-12-31T23:59:50Z
                    """, r.out());
            r = CliRunner.run("query", "card_features", "c1", "--json", "--features", "txn_count,last_country",
                    "--as-of", "2026-01-01T00:00:00Z", "--target", target);
            assertEquals(ExitCodes.OK, r.exitCode(), r.err());
            assertEquals("{\"feature_set\":\"card_features\",\"as_of\":1767225600000,\"watermark\":1767225590000,"
                    + "\"rows\":[{\"key\":\"c1\",\"found\":true,\"last_event\":1767225600000,\"features\":{"
                    + "\"txn_count\":{\"status\":\"PRESENT\",\"value\":4},"
                    + "\"last_country\":{\"status\":\"PRESENT\",\"value\":\"NL\"}}}]}\n", r.out());
            r = CliRunner.run("query", "card_features", "c1", "--as-of", "yesterday", "--target", target);
            assertEquals(ExitCodes.USAGE, r.exitCode());
            assertEquals("peregrine: --as-of takes epoch milliseconds or an ISO-8601 instant, not 'yesterday'\n", r.err());
        }
        CliRunner.Result r = CliRunner.run("query", "card_features", "c1", "--target", "127.0.0.1:1", "--timeout", "2000");
        assertEquals(ExitCodes.FAILURE, r.exitCode());
        assertTrue(r.err().startsWith("peregrine: cannot reach 127.0.0.1:1: "), r.err());
    }
}
