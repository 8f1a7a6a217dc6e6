package io.peregrine.cli;

import io.peregrine.cep.Condition;
import io.peregrine.cep.Match;
import io.peregrine.cep.NfaDescription;
import io.peregrine.cep.NfaTracer;
import io.peregrine.dsl.CompiledPattern;
import io.peregrine.dsl.DslException;
import io.peregrine.dsl.Program;
import io.peregrine.dsl.Programs;
import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.DataType;
import io.peregrine.dsl.schema.Row;
import io.peregrine.runtime.format.Timestamps;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code peregrine explain PROGRAM}: the compiled NFA of each pattern as text or Graphviz DOT; with
 * {@code --trace INPUT}, which element each event of the input matched, or why it matched none.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Show the compiled NFA of each pattern: its elements, states and edges (TAKE, IGNORE, PROCEED) with",
            "their conditions, the window and the skip strategy; as text or as Graphviz DOT (dot -Tsvg).",
            "With --trace INPUT, run the input through the pattern (per partition key, in event-time order, as",
            "the runtime does) and show for each event which conditions held, which element took it, and the matches."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:ok", "1:failure while running", "2:bad arguments", "3:the program does not compile"})
final class ExplainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The program file (.cep).")
    Path program;

    @Option(names = "--pattern", paramLabel = "NAME", description = "Only this pattern (default: every pattern).")
    String pattern;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or dot (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--trace", paramLabel = "INPUT", description = "A file of the pattern's input stream (JSON lines or CSV, as for run).")
    Path trace;

    @Option(names = "--stream", paramLabel = "S",
            description = "The stream the --trace file belongs to (default: the input stream of the chosen patterns).")
    String stream;

    @Option(names = "--max-events", paramLabel = "N", defaultValue = "1000",
            description = "Trace at most N events (default: ${DEFAULT-VALUE}).")
    int maxEvents;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("dot")) {
            throw new UserError(ExitCodes.USAGE, "--format must be text or dot, not '" + format + "'");
        }
        if (trace == null && stream != null) {
            throw new UserError(ExitCodes.USAGE, "--stream needs --trace");
        }
        if (trace != null && format.equals("dot")) {
            throw new UserError(ExitCodes.USAGE, "--trace prints text; leave out --format dot");
        }
        if (maxEvents < 1) {
            throw new UserError(ExitCodes.USAGE, "--max-events must be at least 1");
        }
        Program compiled;
        try {
            compiled = Programs.compile(program.toString(), ValidateCommand.read(program));
        } catch (DslException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.INVALID_PROGRAM;
        }
        List<CompiledPattern> chosen = choose(compiled);
        PrintWriter out = spec.commandLine().getOut();
        if (trace == null) {
            for (int i = 0; i < chosen.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                out.print(format.equals("dot") ? NfaRenderer.dot(chosen.get(i)) : NfaRenderer.text(chosen.get(i)));
            }
            out.flush();
            return ExitCodes.OK;
        }
        StreamDef input = traceStream(compiled, chosen);
        if (!Files.isRegularFile(trace)) {
            throw new UserError(ExitCodes.USAGE, "no such file: " + trace);
        }
        StreamFile.Contents contents = StreamFile.read(trace, input, null);
        List<StreamFile.Event> events = contents.events();
        if (events.size() > maxEvents) {
            out.printf("(tracing the first %d of %d events; --max-events changes it)%n", maxEvents, events.size());
            events = events.subList(0, maxEvents);
        }
        for (StreamFile.Rejected r : contents.rejected()) {
            out.printf("line %d: not decoded (a dead letter): %s%n", r.line(), r.reason());
        }
        boolean first = true;
        for (CompiledPattern p : chosen) {
            if (!p.input().name().equals(input.name())) {
                continue;
            }
            if (!first) {
                out.println();
            }
            first = false;
            new Tracer(p, out).run(events);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private List<CompiledPattern> choose(Program compiled) {
        if (pattern == null) {
            if (compiled.patterns().isEmpty()) {
                throw new UserError(ExitCodes.USAGE, program + " declares no pattern");
            }
            return compiled.patterns();
        }
        return List.of(compiled.pattern(pattern).orElseThrow(() -> {
            List<String> names = new ArrayList<>();
            compiled.patterns().forEach(p -> names.add(p.name()));
            return new UserError(ExitCodes.USAGE, "no pattern '" + pattern + "' in " + program + "; it declares "
                    + (names.isEmpty() ? "none" : String.join(", ", names)));
        }));
    }

    private StreamDef traceStream(Program compiled, List<CompiledPattern> chosen) {
        if (stream != null) {
            StreamDef s = compiled.stream(stream).orElseThrow(() -> new UserError(ExitCodes.USAGE,
                    "unknown stream '" + stream + "' in --stream"));
            if (chosen.stream().noneMatch(p -> p.input().name().equals(stream))) {
                throw new UserError(ExitCodes.USAGE, "no chosen pattern reads stream " + stream);
            }
            return s;
        }
        StreamDef s = chosen.get(0).input();
        for (CompiledPattern p : chosen) {
            if (!p.input().name().equals(s.name())) {
                throw new UserError(ExitCodes.USAGE, "the patterns read several streams: say which one the --trace file is with"
                        + " --stream, or pick one with --pattern");
            }
        }
        return s;
    }

    /** Prints one pattern's trace: records the processor's steps and explains them after each event. */
    static final class Tracer implements NfaTracer<Row>, PatternReplay.Listener {
        private final CompiledPattern pattern;
        private final NfaDescription nfa;
        private final PrintWriter out;
        private final List<Step> steps = new ArrayList<>();
        private final List<String> matches = new ArrayList<>();
        private int number;
        private long matchCount;

        private record Step(int state, long start, List<String> conditions, List<NfaDescription.Edge> edges, List<Integer> from) {}

        Tracer(CompiledPattern pattern, PrintWriter out) {
            this.pattern = pattern;
            this.nfa = pattern.nfa().description();
            this.out = out;
        }

        void run(List<StreamFile.Event> events) {
            out.println("trace of " + pattern.name() + " over " + pattern.input().name() + " (PARTITION BY "
                    + NfaRenderer.partitionText(pattern) + ", " + NfaRenderer.skipText(nfa.skipStrategy())
                    + (nfa.windowMillis() == 0 ? "" : ", WITHIN " + NfaRenderer.duration(nfa.windowMillis())) + ")");
            PatternReplay.run(pattern, events, this, this);
            out.println(matchCount + " match" + (matchCount == 1 ? "" : "es"));
        }

        @Override
        public void onLate(StreamFile.Event e, long watermark) {
            out.println("line " + e.line() + ": late (" + Timestamps.formatIso(e.timestamp()) + " is at or below the watermark "
                    + Timestamps.formatIso(watermark) + "): left out, as the runtime does");
        }

        @Override
        public void onKey(List<Object> key, int events) {
            out.println("key " + keyText(key) + ": " + events + " event" + (events == 1 ? "" : "s") + " in event-time order");
        }

        @Override
        public void onEvent(StreamFile.Event e) {
            steps.clear();
            matches.clear();
            out.println("  #" + ++number + " line " + e.line() + "  " + rowText(e.row()));
        }

        @Override
        public void onRun(Row event, int stateId, long startTimestamp) {
            steps.add(new Step(stateId, startTimestamp, new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
        }

        @Override
        public void onCondition(Condition<Row> condition, boolean result) {
            String text = condition.description() == null ? "<java condition>" : condition.description();
            steps.get(steps.size() - 1).conditions().add(text + " = " + result);
        }

        @Override
        public void onEdge(int stateId, int edgeIndex, boolean passed) {
            if (passed) {
                Step s = steps.get(steps.size() - 1);
                s.edges().add(nfa.states().get(stateId).edges().get(edgeIndex));
                s.from().add(stateId);
            }
        }

        @Override
        public void onMatch(Match<Row> match, StreamFile.Event completedBy) {
            matchCount++;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < match.size(); i++) {
                sb.append(i == 0 ? "" : " ").append(match.elementName(i));
            }
            List<String> rows = new ArrayList<>();
            pattern.projector().project(match, matchCount, r -> rows.add(rowText(r)));
            String text = "MATCH " + sb + (rows.isEmpty() ? "" : " -> " + String.join("; ", rows));
            if (completedBy == null) {
                out.println("  at the end of input: " + text);
            } else {
                matches.add(text);
            }
        }

        @Override
        public void afterEvent(StreamFile.Event e) {
            boolean took = false;
            boolean waiting = false;
            for (Step s : steps) {
                boolean start = s.start() == Long.MIN_VALUE;
                waiting |= !start;
                List<String> outcomes = new ArrayList<>();
                for (int i = 0; i < s.edges().size(); i++) {
                    NfaDescription.Edge edge = s.edges().get(i);
                    NfaDescription.State from = nfa.states().get(s.from().get(i));
                    NfaDescription.State to = nfa.states().get(edge.target());
                    switch (edge.action()) {
                        case TAKE -> {
                            took = true;
                            outcomes.add(to.kind() == NfaDescription.Kind.STOP
                                    ? "NOT element " + to.element() + " matched: partial match discarded"
                                    : to.kind() == NfaDescription.Kind.FINAL ? "TAKE as " + from.element() + ": match complete"
                                    : "TAKE as " + from.element() + " -> " + to.name());
                        }
                        case IGNORE -> {
                            if (!start) {
                                outcomes.add(edge.target() == s.state() ? "IGNORE (keeps waiting)" : "IGNORE -> " + to.name());
                            }
                        }
                        case PROCEED -> outcomes.add("PROCEED -> " + to.name());
                    }
                }
                String where = start ? "start" : "partial match at " + nfa.states().get(s.state()).name()
                        + " (first event " + Timestamps.formatIso(s.start()) + ")";
                out.println("     " + where + ": " + (s.conditions().isEmpty() ? "no condition ran" : String.join(", ", s.conditions()))
                        + " => " + (outcomes.isEmpty() ? (start ? "no element starts here" : "dropped (no edge held)")
                                : String.join(", ", outcomes)));
            }
            if (!took) {
                out.println("     no element took it" + (waiting ? " (the waiting partial matches did not take it; no new one starts)"
                        : " (no partial match was waiting, and no first element's condition held)"));
            }
            for (String m : matches) {
                out.println("     " + m);
            }
        }

        private static String keyText(List<Object> key) {
            if (key.isEmpty()) {
                return "(one partition)";
            }
            List<String> parts = new ArrayList<>();
            key.forEach(k -> parts.add(String.valueOf(k)));
            return String.join(", ", parts);
        }

        static String rowText(Row row) {
            StringBuilder sb = new StringBuilder();
            for (Column c : row.schema().columns()) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(c.name()).append('=');
                Object v = row.get(c.index());
                if (v != null && c.type().kind() == DataType.Kind.TIMESTAMP) {
                    sb.append(Timestamps.formatIso(row.getLong(c.index())));
                } else {
                    sb.append(v);
                }
            }
            return sb.toString();
        }
    }
}
