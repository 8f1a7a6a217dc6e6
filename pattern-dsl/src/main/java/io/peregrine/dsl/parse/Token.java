package io.peregrine.dsl.parse;

import io.peregrine.dsl.ast.Span;

/**
 * One token: its kind, its source range {@code [start, end)}, its source text and its value.
 *
 * @param text  the source text, exactly as written (for {@code &&} and {@code ==}, which the lexer
 *              reports and replaces, the text of the operator they stand for)
 * @param value words: the name as written; quoted identifiers and strings: the unescaped content;
 *              INTEGER: a {@code Long} (null when out of range, already reported; a {@code BigInteger}
 *              for 9223372036854775808 right after a minus sign); DECIMAL: a {@code BigDecimal};
 *              DOUBLE: a {@code Double}; punctuation and EOF: null
 */
public record Token(TokenKind kind, int start, int end, String text, Object value) {

    public Span span() {
        return new Span(start, end);
    }

    /** Whether this is the bare word {@code upper} (any case; reserved or not). */
    public boolean isWord(String upper) {
        return (kind == TokenKind.IDENTIFIER || kind == TokenKind.KEYWORD) && text.equalsIgnoreCase(upper);
    }

    /** A bare word, reserved or not. */
    public boolean isBareWord() {
        return kind == TokenKind.IDENTIFIER || kind == TokenKind.KEYWORD;
    }

    /** Something that may stand for a name: an identifier, a quoted identifier or (reported) double-quoted text. */
    public boolean isName() {
        return kind == TokenKind.IDENTIFIER || kind == TokenKind.QUOTED_IDENTIFIER || kind == TokenKind.DOUBLE_QUOTED;
    }

    /** The value as a string (names and strings). */
    public String stringValue() {
        return (String) value;
    }
}
