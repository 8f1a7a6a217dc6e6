package io.peregrine.dsl.compile;

import io.peregrine.dsl.Diagnostic;
import io.peregrine.dsl.ast.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the diagnostics of one compilation; compilation goes on after an error to find the others. */
final class Problems {

    private final List<Diagnostic> list = new ArrayList<>();

    void error(Span span, String message, String hint) {
        list.add(Diagnostic.error(span, message, hint));
    }

    void error(Span span, String message) {
        error(span, message, null);
    }

    void warning(Span span, String message, String hint) {
        list.add(Diagnostic.warning(span, message, hint));
    }

    void addAll(List<Diagnostic> diagnostics) {
        list.addAll(diagnostics);
    }

    boolean hasErrors() {
        for (Diagnostic d : list) {
            if (d.isError()) {
                return true;
            }
        }
        return false;
    }

    int errorCount() {
        int n = 0;
        for (Diagnostic d : list) {
            n += d.isError() ? 1 : 0;
        }
        return n;
    }

    List<Diagnostic> sorted() {
        List<Diagnostic> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparingInt((Diagnostic d) -> d.span().start()).thenComparingInt(d -> d.span().end()));
        return copy;
    }
}
