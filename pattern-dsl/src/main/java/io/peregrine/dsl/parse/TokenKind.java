package io.peregrine.dsl.parse;

/** What a {@link Token} is. Punctuation kinds carry their canonical text. */
public enum TokenKind {
    /** A bare word that is not reserved; contextual keywords such as {@code KEY} or {@code SKIP} are identifiers too. */
    IDENTIFIER(null),
    /** A reserved word ({@link Keywords#isReserved}); usable as a name only back-quoted. */
    KEYWORD(null),
    /** {@code `name`}, with {@code ``} standing for one back-quote. */
    QUOTED_IDENTIFIER(null),
    /** {@code "text"}: not part of the language; the lexer reports it and the parser takes it as a string or a name. */
    DOUBLE_QUOTED(null),
    /** {@code 'text'}, with {@code ''} standing for one quote. */
    STRING(null),
    /** Digits only: a {@code Long} value. */
    INTEGER(null),
    /** Digits with a dot: a {@code BigDecimal} value. */
    DECIMAL(null),
    /** Digits with an exponent: a {@code Double} value. */
    DOUBLE(null),

    LPAREN("("), RPAREN(")"), COMMA(","), DOT("."), SEMICOLON(";"),
    LBRACE("{"), RBRACE("}"), LBRACE_MINUS("{-"), MINUS_RBRACE("-}"),
    EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">="),
    PLUS("+"), MINUS("-"), STAR("*"), SLASH("/"), PERCENT("%"), CONCAT("||"),
    QUESTION("?"), BAR("|"), CARET("^"), DOLLAR("$"), BANG("!"), ARROW("->"), DOUBLE_ARROW("->>"),

    /** End of the text; always the last token. */
    EOF(null);

    private final String symbol;

    TokenKind(String symbol) {
        this.symbol = symbol;
    }

    /** The punctuation's text, or null for words, literals and EOF. */
    public String symbol() {
        return symbol;
    }
}
