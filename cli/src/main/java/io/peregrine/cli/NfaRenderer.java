package io.peregrine.cli;

import io.peregrine.cep.AfterMatchSkipStrategy;
import io.peregrine.cep.ConsumingStrategy;
import io.peregrine.cep.NfaDescription;
import io.peregrine.cep.NfaDescription.Edge;
import io.peregrine.cep.NfaDescription.Element;
import io.peregrine.cep.NfaDescription.State;
import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.schema.Schema;
import java.util.ArrayList;
import java.util.List;

/** Renders a compiled pattern's NFA for {@code explain}: readable text, or Graphviz DOT. */
final class NfaRenderer {

    private NfaRenderer() {}

    static String text(CompiledPattern pattern) {
        NfaDescription d = pattern.nfa().description();
        StringBuilder sb = new StringBuilder();
        sb.append("pattern ").append(pattern.name()).append(" over ").append(pattern.input().name())
                .append(", PARTITION BY ").append(partitionText(pattern))
                .append(", ORDER BY ").append(pattern.input().schema().column(pattern.rowtimeColumn()).name()).append('\n');
        sb.append("  window:      ").append(d.windowMillis() == 0 ? "none"
                : duration(d.windowMillis()) + " (a match needs last.ts - first.ts < " + duration(d.windowMillis()) + ")").append('\n');
        sb.append("  after match: ").append(skipText(d.skipStrategy())).append('\n');
        sb.append("  elements:\n");
        int width = 1;
        for (Element e : d.elements()) {
            width = Math.max(width, e.name().length());
        }
        for (int i = 0; i < d.elements().size(); i++) {
            Element e = d.elements().get(i);
            sb.append("    ").append(pad(e.name(), width)).append("  ").append(elementText(e, i == 0)).append('\n');
        }
        sb.append("  states (").append(d.states().size()).append(", start ").append(d.startState()).append("):\n");
        for (State s : d.states()) {
            sb.append("    ").append(s.id()).append(' ').append(s.name());
            List<String> notes = new ArrayList<>();
            if (s.start()) {
                notes.add("start");
            }
            if (s.kind() != NfaDescription.Kind.NORMAL) {
                notes.add(kindText(s.kind()));
            }
            if (s.gapWindowMillis() > 0) {
                notes.add("gap window " + duration(s.gapWindowMillis()));
            }
            if (!notes.isEmpty()) {
                sb.append("  (").append(String.join(", ", notes)).append(')');
            }
            sb.append('\n');
            for (Edge e : s.edges()) {
                State target = d.states().get(e.target());
                sb.append("      ").append(pad(e.action().name(), 7)).append(" -> ")
                        .append(target.id() == s.id() ? "itself" : target.id() + " " + target.name());
                if (!e.condition().equals("true")) {
                    sb.append("  if ").append(e.condition());
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    static String dot(CompiledPattern pattern) {
        NfaDescription d = pattern.nfa().description();
        StringBuilder sb = new StringBuilder();
        sb.append("digraph ").append(quote(pattern.name())).append(" {\n");
        sb.append("  rankdir=LR;\n");
        sb.append("  label=").append(quote(pattern.name() + ": " + skipText(d.skipStrategy())
                + (d.windowMillis() == 0 ? "" : ", WITHIN " + duration(d.windowMillis())))).append(";\n");
        sb.append("  node [shape=circle, fontname=\"Helvetica\"];\n");
        sb.append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
        sb.append("  start [shape=point];\n");
        for (State s : d.states()) {
            String shape = switch (s.kind()) {
                case FINAL -> "doublecircle";
                case STOP -> "octagon";
                case PENDING -> "doubleoctagon";
                case NORMAL -> "circle";
            };
            sb.append("  s").append(s.id()).append(" [label=").append(quote(s.name()
                    + (s.gapWindowMillis() > 0 ? "\ngap " + duration(s.gapWindowMillis()) : "")))
                    .append(", shape=").append(shape).append("];\n");
        }
        sb.append("  start -> s").append(d.startState()).append(";\n");
        for (State s : d.states()) {
            for (Edge e : s.edges()) {
                String style = switch (e.action()) {
                    case TAKE -> "solid";
                    case IGNORE -> "dashed";
                    case PROCEED -> "dotted";
                };
                String label = e.action().name() + (e.condition().equals("true") ? "" : "\n" + e.condition());
                sb.append("  s").append(s.id()).append(" -> s").append(e.target()).append(" [label=").append(quote(label))
                        .append(", style=").append(style).append("];\n");
            }
        }
        sb.append("}\n");
        return sb.toString();
    }

    static String partitionText(CompiledPattern pattern) {
        int[] cols = pattern.partitionColumns();
        if (cols.length == 0) {
            return "(none: one partition)";
        }
        Schema schema = pattern.input().schema();
        List<String> names = new ArrayList<>();
        for (int c : cols) {
            names.add(schema.column(c).name());
        }
        return String.join(", ", names);
    }

    static String skipText(AfterMatchSkipStrategy s) {
        if (s instanceof AfterMatchSkipStrategy.NoSkip) {
            return "NO SKIP (every match)";
        }
        if (s instanceof AfterMatchSkipStrategy.SkipToNext) {
            return "SKIP TO NEXT ROW";
        }
        if (s instanceof AfterMatchSkipStrategy.SkipPastLastEvent) {
            return "SKIP PAST LAST ROW";
        }
        if (s instanceof AfterMatchSkipStrategy.SkipToFirst f) {
            return "SKIP TO FIRST " + f.name();
        }
        if (s instanceof AfterMatchSkipStrategy.SkipToLast l) {
            return "SKIP TO LAST " + l.name();
        }
        return s.toString();
    }

    private static String elementText(Element e, boolean first) {
        StringBuilder sb = new StringBuilder(first ? "begin" : contiguityText(e.contiguity()));
        if (!e.quantifier().isEmpty()) {
            sb.append(", ").append(e.quantifier());
            if (e.innerContiguity() != null) {
                sb.append(switch (e.innerContiguity()) {
                    case STRICT -> ", consecutive";
                    case SKIP_TILL_ANY -> ", allowCombinations";
                    default -> ", relaxed inside";
                });
            }
            if (e.greedy()) {
                sb.append(", greedy");
            }
        }
        if (e.gapWindowMillis() > 0) {
            sb.append(", gap within ").append(duration(e.gapWindowMillis()));
        }
        sb.append(": ").append(e.condition());
        if (e.until() != null) {
            sb.append(" UNTIL ").append(e.until());
        }
        return sb.toString();
    }

    static String contiguityText(ConsumingStrategy c) {
        return switch (c) {
            case STRICT -> "next (strict)";
            case SKIP_TILL_NEXT -> "followedBy (relaxed)";
            case SKIP_TILL_ANY -> "followedByAny (non-deterministic)";
            case NOT_FOLLOW -> "notFollowedBy";
            case NOT_NEXT -> "notNext";
        };
    }

    private static String kindText(NfaDescription.Kind k) {
        return switch (k) {
            case FINAL -> "final: a match";
            case STOP -> "stop: discards the partial match";
            case PENDING -> "pending: a match when the window passes";
            case NORMAL -> "";
        };
    }

    /** {@code 10m}, {@code 1h30m}, {@code 2s}, {@code 1500ms}. */
    static String duration(long ms) {
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        StringBuilder sb = new StringBuilder();
        long d = s / 86400;
        long h = s / 3600 % 24;
        long m = s / 60 % 60;
        long sec = s % 60;
        if (d > 0) {
            sb.append(d).append('d');
        }
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (m > 0) {
            sb.append(m).append('m');
        }
        if (sec > 0 || sb.length() == 0) {
            sb.append(sec).append('s');
        }
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
