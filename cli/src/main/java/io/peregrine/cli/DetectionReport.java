package io.peregrine.cli;

import io.peregrine.cep.Match;
import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.schema.Row;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Scores a program's patterns against labelled input (as {@code peregrine generate} writes it).
 * Each record may carry a label column the program does not declare: empty for normal traffic,
 * {@code kind#n} for an event of injected case n of that kind. A pattern is scored against the
 * cases of the kind equal to its name:
 * <ul>
 *   <li>an alert (a match) is <b>true</b> when at least one of its rows belongs to a case of that
 *       kind, else <b>false</b> (rows of other kinds' cases do not make it true);
 *   <li>a case is <b>caught</b> when at least one true alert holds one of its rows, else <b>missed</b>.
 * </ul>
 * A pattern whose name is no injected kind only has its alerts counted. The matches are found by
 * replaying each stream in one thread exactly as the runtime orders it ({@link PatternReplay}).
 */
final class DetectionReport {

    /** One pattern's score; {@code cases} is -1 when its name is no injected kind. */
    record Score(String pattern, long alerts, long trueAlerts, int cases, int caught) {
        long falseAlerts() {
            return alerts - trueAlerts;
        }

        int missed() {
            return cases < 0 ? 0 : cases - caught;
        }
    }

    private DetectionReport() {}

    static List<Score> score(Program program, Map<String, Path> inputs, String labelColumn) {
        Map<String, Set<String>> casesByKind = new LinkedHashMap<>();
        Map<String, StreamFile.Contents> contents = new LinkedHashMap<>();
        for (Map.Entry<String, Path> in : inputs.entrySet()) {
            StreamFile.Contents c = StreamFile.read(in.getValue(), program.stream(in.getKey()).orElseThrow(), labelColumn);
            contents.put(in.getKey(), c);
            for (StreamFile.Event e : c.events()) {
                String kind = kind(e.label());
                if (kind != null) {
                    casesByKind.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(e.label());
                }
            }
        }
        List<Score> scores = new java.util.ArrayList<>();
        for (CompiledPattern p : program.patterns()) {
            StreamFile.Contents c = contents.get(p.input().name());
            if (c == null) {
                continue;
            }
            Map<Row, String> labels = new IdentityHashMap<>();
            for (StreamFile.Event e : c.events()) {
                if (e.label() != null && !e.label().isEmpty()) {
                    labels.put(e.row(), e.label());
                }
            }
            Set<String> kindCases = casesByKind.get(p.name());
            Set<String> caught = new LinkedHashSet<>();
            long[] counts = new long[2];
            PatternReplay.run(p, c.events(), new PatternReplay.Listener() {
                @Override
                public void onMatch(Match<Row> match, StreamFile.Event completedBy) {
                    counts[0]++;
                    boolean hit = false;
                    for (int i = 0; i < match.size(); i++) {
                        String label = labels.get(match.event(i));
                        if (label != null && p.name().equals(kind(label))) {
                            hit = true;
                            caught.add(label);
                        }
                    }
                    if (hit) {
                        counts[1]++;
                    }
                }
            }, null);
            scores.add(new Score(p.name(), counts[0], counts[1], kindCases == null ? -1 : kindCases.size(), caught.size()));
        }
        return scores;
    }

    private static String kind(String label) {
        if (label == null || label.isEmpty()) {
            return null;
        }
        int hash = label.indexOf('#');
        return hash < 0 ? label : label.substring(0, hash);
    }

    static void print(List<Score> scores, PrintWriter out) {
        int width = "pattern".length();
        for (Score s : scores) {
            width = Math.max(width, s.pattern().length());
        }
        String f = "%-" + width + "s  %7s  %7s  %7s  %7s  %7s  %7s%n";
        out.printf(Locale.ROOT, f, "pattern", "alerts", "true", "false", "cases", "caught", "missed");
        for (Score s : scores) {
            if (s.cases() < 0) {
                out.printf(Locale.ROOT, f, s.pattern(), s.alerts(), "-", "-", "-", "-", "-");
            } else {
                out.printf(Locale.ROOT, f, s.pattern(), s.alerts(), s.trueAlerts(), s.falseAlerts(), s.cases(), s.caught(), s.missed());
            }
        }
        out.println("An alert is true when one of its rows belongs to an injected case of the pattern's kind (its name);");
        out.println("a case is caught when a true alert holds one of its rows. '-': no injected kind of that name.");
        out.flush();
    }
}
