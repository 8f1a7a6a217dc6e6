package io.peregrine.dsl;

import java.util.List;
import java.util.Optional;

/** A compiled program: its streams and patterns in declaration order. */
public record Program(SourceFile source, List<StreamDef> streams, List<CompiledPattern> patterns) {

    public Program {
        streams = List.copyOf(streams);
        patterns = List.copyOf(patterns);
    }

    public Optional<StreamDef> stream(String name) {
        return streams.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<CompiledPattern> pattern(String name) {
        return patterns.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
