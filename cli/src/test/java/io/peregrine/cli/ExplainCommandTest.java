package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {

    private static final String PROGRAM = """
            CREATE STREAM tx (card STRING, amount DOUBLE, ts TIMESTAMP(3),
              WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (format = 'json');
            CREATE PATTERN small_large AS
            SELECT * FROM tx
            MATCH_RECOGNIZE (
              PARTITION BY card
              ORDER BY ts
              MEASURES L.amount AS large
              AFTER MATCH SKIP PAST LAST ROW
              PATTERN (S -> L) WITHIN INTERVAL '10' MINUTE
              DEFINE S AS S.amount < 1.00,
                     L AS L.amount > 500
            );
            """;

    @TempDir
    Path dir;

    private Path program() throws IOException {
        Path p = dir.resolve("p.cep");
        Files.writeString(p, PROGRAM);
        return p;
    }

    @Test
    void shouldPrintStatesEdgesAndConditionTexts() throws IOException {
        CliRunner.Result r = CliRunner.run("explain", program().toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("""
                pattern small_large over tx, PARTITION BY card, ORDER BY ts
                  window:      10m (a match needs last.ts - first.ts < 10m)
                  after match: SKIP PAST LAST ROW
                  elements:
                    S  begin: S.amount < 1.00
                    L  followedBy (relaxed): L.amount > 500
                  states (3, start 2):
                    0 $endState$  (final: a match)
                    1 L
                      TAKE    -> 0 $endState$  if L.amount > 500
                      IGNORE  -> itself  if NOT (L.amount > 500)
                    2 S  (start)
                      TAKE    -> 1 L  if S.amount < 1.00
                """, r.out());
    }

    @Test
    void shouldPrintGraphvizDot() throws IOException {
        CliRunner.Result r = CliRunner.run("explain", program().toString(), "--format", "dot");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("""
                digraph "small_large" {
                  rankdir=LR;
                  label="small_large: SKIP PAST LAST ROW, WITHIN 10m";
                  node [shape=circle, fontname="Helvetica"];
                  edge [fontname="Helvetica", fontsize=10];
                  start [shape=point];
                  s0 [label="$endState$", shape=doublecircle];
                  s1 [label="L", shape=circle];
                  s2 [label="S", shape=circle];
                  start -> s2;
                  s1 -> s0 [label="TAKE\\nL.amount > 500", style=solid];
                  s1 -> s1 [label="IGNORE\\nNOT (L.amount > 500)", style=dashed];
                  s2 -> s1 [label="TAKE\\nS.amount < 1.00", style=solid];
                }
                """, r.out());
    }

    @Test
    void shouldTraceWhichElementEachEventMatchedOrWhyNot() throws IOException {
        Path input = dir.resolve("tx.jsonl");
        Files.writeString(input, """
                {"card":"c1","amount":0.5,"ts":1000}
                {"card":"c2","amount":20,"ts":1500}
                {"card":"c1","amount":40,"ts":2000}
                not json
                {"card":"c1","amount":900,"ts":3000}
                """);
        CliRunner.Result r = CliRunner.run("explain", program().toString(), "--trace", input.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("""
                line 4: not decoded (a dead letter): bad JSON at column 1: expected a JSON object
                trace of small_large over tx (PARTITION BY card, SKIP PAST LAST ROW, WITHIN 10m)
                key c1: 3 events in event-time order
                  #1 line 1  card=c1 amount=0.5 ts=1970-01-01T00:00:01.000Z
                     start: S.amount < 1.00 = true => TAKE as S -> L
                  #2 line 3  card=c1 amount=40.0 ts=1970-01-01T00:00:02.000Z
                     partial match at L (first event 1970-01-01T00:00:01.000Z): L.amount > 500 = false => IGNORE (keeps waiting)
                     start: S.amount < 1.00 = false => no element starts here
                     no element took it (the waiting partial matches did not take it; no new one starts)
                  #3 line 5  card=c1 amount=900.0 ts=1970-01-01T00:00:03.000Z
                     partial match at L (first event 1970-01-01T00:00:01.000Z): L.amount > 500 = true => TAKE as L: match complete
                     start: S.amount < 1.00 = false => no element starts here
                     MATCH S L -> card=c1 large=900.0
                key c2: 1 event in event-time order
                  #4 line 2  card=c2 amount=20.0 ts=1970-01-01T00:00:01.500Z
                     start: S.amount < 1.00 = false => no element starts here
                     no element took it (no partial match was waiting, and no first element's condition held)
                1 match
                """, r.out());
    }

    @Test
    void shouldRejectUnknownPatternAndFormatWithUsageErrors() throws IOException {
        CliRunner.Result r = CliRunner.run("explain", program().toString(), "--pattern", "nope");
        assertEquals(2, r.exitCode());
        assertEquals("peregrine: no pattern 'nope' in " + program() + "; it declares small_large\n", r.err());
        CliRunner.Result f = CliRunner.run("explain", program().toString(), "--format", "svg");
        assertEquals(2, f.exitCode());
        assertTrue(f.err().contains("--format must be text or dot"), f.err());
    }

    @Test
    void shouldExplainEveryPatternOfTheExample() {
        CliRunner.Result r = CliRunner.run("explain", "../examples/fraud.cep");
        assertEquals(0, r.exitCode(), r.err());
        for (String p : new String[] {"card_testing", "impossible_travel", "account_takeover", "velocity_spike", "structuring"}) {
            assertTrue(r.out().contains("pattern " + p + " over "), p);
        }
        assertTrue(r.out().contains("N.event_type = 'login' AND N.new_device"), r.out());
    }
}
