package io.peregrine.dsl;

import io.peregrine.dsl.ast.Span;

/**
 * One problem found in a program, at a span of its source. {@code hint} says what to write instead
 * (null when there is nothing useful to add).
 */
public record Diagnostic(Severity severity, Span span, String message, String hint) {

    public enum Severity { ERROR, WARNING }

    public static Diagnostic error(Span span, String message, String hint) {
        return new Diagnostic(Severity.ERROR, span, message, hint);
    }

    public static Diagnostic warning(Span span, String message, String hint) {
        return new Diagnostic(Severity.WARNING, span, message, hint);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /**
     * As compilers print it:
     * <pre>
     * fraud.cep:12:30: error: unknown column 'amout' in stream transactions
     *   DEFINE S AS S.amout &lt; 1.00,
     *                 ^^^^^
     *   hint: did you mean 'amount'?
     * </pre>
     */
    public String render(SourceFile source) {
        int line = source.line(span.start());
        int col = source.column(span.start());
        StringBuilder sb = new StringBuilder();
        sb.append(source.name()).append(':').append(line).append(':').append(col).append(": ")
                .append(severity == Severity.ERROR ? "error" : "warning").append(": ").append(message).append('\n');
        String text = source.lineText(line);
        sb.append("  ").append(text).append('\n');
        sb.append("  ");
        for (int i = 1; i < col; i++) {
            // keep tabs so the caret lines up under the same characters
            sb.append(i - 1 < text.length() && text.charAt(i - 1) == '\t' ? '\t' : ' ');
        }
        int lineEnd = source.column(span.start()) - 1 + Math.max(1, span.length());
        int carets = Math.max(1, Math.min(lineEnd, Math.max(text.length(), col)) - (col - 1));
        sb.append("^".repeat(carets));
        if (hint != null) {
            sb.append('\n').append("  hint: ").append(hint);
        }
        return sb.toString();
    }
}
