package io.peregrine.dsl;

import java.util.List;

/** A program did not compile: every diagnostic found in it, in source order. */
public final class DslException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient SourceFile source;
    private final transient List<Diagnostic> diagnostics;

    public DslException(SourceFile source, List<Diagnostic> diagnostics) {
        super(render(source, diagnostics));
        this.source = source;
        this.diagnostics = List.copyOf(diagnostics);
    }

    public SourceFile source() {
        return source;
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    private static String render(SourceFile source, List<Diagnostic> diagnostics) {
        StringBuilder sb = new StringBuilder();
        long errors = diagnostics.stream().filter(Diagnostic::isError).count();
        for (Diagnostic d : diagnostics) {
            sb.append(d.render(source)).append('\n');
        }
        sb.append(errors).append(errors == 1 ? " error" : " errors");
        return sb.toString();
    }
}
