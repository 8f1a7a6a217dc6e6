package io.peregrine.dsl.parse;

import io.peregrine.dsl.Diagnostic;
import io.peregrine.dsl.ast.Span;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a program's text into {@link Token}s, positions as char offsets. It never fails: every
 * problem (unterminated string or comment, double quotes, stray characters, numbers out of range)
 * becomes a {@link Diagnostic} and the lexer carries on with a best guess, so the parser sees a
 * complete token list ending in {@link TokenKind#EOF}.
 *
 * <p>Words are case-insensitive keywords or case-sensitive names; {@link Keywords#RESERVED} decides
 * between {@link TokenKind#KEYWORD} and {@link TokenKind#IDENTIFIER}. Comments are {@code -- ...} to
 * the end of the line and {@code /* ... *&#47;} (not nested). Strings and back-quoted names end at
 * the end of their line: a missing closing quote is one error rather than the rest of the file read
 * inside out.
 */
public final class Lexer {

    private static final BigInteger LONG_MIN_MAGNITUDE = BigInteger.ONE.shiftLeft(63);

    private final String text;
    private final List<Token> tokens = new ArrayList<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private int pos;
    private boolean done;

    public Lexer(String text) {
        this.text = text;
    }

    /** All tokens of the text, the last one {@link TokenKind#EOF}. */
    public List<Token> tokenize() {
        if (!done) {
            run();
            done = true;
        }
        return List.copyOf(tokens);
    }

    /** What went wrong while lexing, in source order. */
    public List<Diagnostic> diagnostics() {
        tokenize();
        return List.copyOf(diagnostics);
    }

    private void run() {
        while (true) {
            skipSpaceAndComments();
            if (pos >= text.length()) {
                break;
            }
            if (!lexOne()) {
                // one diagnostic for a run of characters that start no token
                int start = pos;
                do {
                    pos += Character.charCount(text.codePointAt(pos));
                } while (pos < text.length() && startsNoToken(text.charAt(pos)));
                reportBad(start, pos);
            }
        }
        tokens.add(new Token(TokenKind.EOF, text.length(), text.length(), "", null));
    }

    private static boolean startsNoToken(char c) {
        return !(Character.isWhitespace(c) || Keywords.isIdentifierStart(c) || isDigit(c)
                || "'`\"(),.;{}+*/%?^$|-=<>!".indexOf(c) >= 0);
    }

    private void reportBad(int start, int end) {
        String s = text.substring(start, end);
        boolean one = s.codePointCount(0, s.length()) == 1;
        diagnostics.add(Diagnostic.error(new Span(start, end),
                "unexpected character" + (one ? " " : "s ") + "'" + printable(s) + "'", null));
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c) || c == '\u00a0' || c == '\ufeff') {
                pos++;
            } else if (c == '-' && peekChar(1) == '-') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && peekChar(1) == '*') {
                int start = pos;
                int close = text.indexOf("*/", pos + 2);
                if (close < 0) {
                    diagnostics.add(Diagnostic.error(new Span(start, start + 2), "unterminated comment",
                            "close the comment with */"));
                    pos = text.length();
                } else {
                    pos = close + 2;
                }
            } else {
                return;
            }
        }
    }

    private char peekChar(int ahead) {
        int i = pos + ahead;
        return i < text.length() ? text.charAt(i) : '\0';
    }

    /** Lexes one token at {@code pos}; false (nothing consumed) for a character that starts none. */
    private boolean lexOne() {
        int start = pos;
        char c = text.charAt(pos);
        if (Keywords.isIdentifierStart(c) || (c == '$' && Keywords.isIdentifierStart(peekChar(1)))) {
            lexWord(start);
            return true;
        }
        if (isDigit(c) || (c == '.' && isDigit(peekChar(1)) && !previousEndsName())) {
            lexNumber(start);
            return true;
        }
        switch (c) {
            case '\'':
                lexString(start);
                return true;
            case '`':
                lexQuotedIdentifier(start);
                return true;
            case '"':
                lexDoubleQuoted(start);
                return true;
            case '(':
                return punct(TokenKind.LPAREN, 1);
            case ')':
                return punct(TokenKind.RPAREN, 1);
            case ',':
                return punct(TokenKind.COMMA, 1);
            case '.':
                return punct(TokenKind.DOT, 1);
            case ';':
                return punct(TokenKind.SEMICOLON, 1);
            case '{':
                return peekChar(1) == '-' ? punct(TokenKind.LBRACE_MINUS, 2) : punct(TokenKind.LBRACE, 1);
            case '}':
                return punct(TokenKind.RBRACE, 1);
            case '+':
                return punct(TokenKind.PLUS, 1);
            case '*':
                return punct(TokenKind.STAR, 1);
            case '/':
                return punct(TokenKind.SLASH, 1);
            case '%':
                return punct(TokenKind.PERCENT, 1);
            case '?':
                return punct(TokenKind.QUESTION, 1);
            case '^':
                return punct(TokenKind.CARET, 1);
            case '$':
                return punct(TokenKind.DOLLAR, 1);
            case '|':
                return peekChar(1) == '|' ? punct(TokenKind.CONCAT, 2) : punct(TokenKind.BAR, 1);
            case '-':
                if (peekChar(1) == '>') {
                    return peekChar(2) == '>' ? punct(TokenKind.DOUBLE_ARROW, 3) : punct(TokenKind.ARROW, 2);
                }
                return peekChar(1) == '}' ? punct(TokenKind.MINUS_RBRACE, 2) : punct(TokenKind.MINUS, 1);
            case '=':
                if (peekChar(1) == '=') {
                    diagnostics.add(Diagnostic.error(new Span(start, start + 2), "'==' is not an operator",
                            "use = for equality"));
                    tokens.add(new Token(TokenKind.EQ, start, start + 2, "=", null));
                    pos += 2;
                    return true;
                }
                return punct(TokenKind.EQ, 1);
            case '<':
                if (peekChar(1) == '=') {
                    return punct(TokenKind.LE, 2);
                }
                return peekChar(1) == '>' ? punct(TokenKind.NE, 2) : punct(TokenKind.LT, 1);
            case '>':
                return peekChar(1) == '=' ? punct(TokenKind.GE, 2) : punct(TokenKind.GT, 1);
            case '!':
                return peekChar(1) == '=' ? punct(TokenKind.NE, 2) : punct(TokenKind.BANG, 1);
            case '&':
                if (peekChar(1) == '&') {
                    diagnostics.add(Diagnostic.error(new Span(start, start + 2), "'&&' is not an operator",
                            "use AND"));
                    tokens.add(new Token(TokenKind.KEYWORD, start, start + 2, "AND", "AND"));
                    pos += 2;
                    return true;
                }
                return false;
            default:
                return false;
        }
    }

    private boolean punct(TokenKind kind, int length) {
        tokens.add(new Token(kind, pos, pos + length, text.substring(pos, pos + length), null));
        pos += length;
        return true;
    }

    private boolean previousEndsName() {
        if (tokens.isEmpty()) {
            return false;
        }
        Token last = tokens.get(tokens.size() - 1);
        return last.end() == pos && (last.isBareWord() || last.kind() == TokenKind.QUOTED_IDENTIFIER
                || last.kind() == TokenKind.RPAREN);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void lexWord(int start) {
        pos++;
        while (pos < text.length() && Keywords.isIdentifierPart(text.charAt(pos))) {
            pos++;
        }
        String word = text.substring(start, pos);
        TokenKind kind = Keywords.isReserved(word) ? TokenKind.KEYWORD : TokenKind.IDENTIFIER;
        tokens.add(new Token(kind, start, pos, word, word));
    }

    private void lexNumber(int start) {
        while (isDigit(peekChar(0))) {
            pos++;
        }
        boolean decimal = false;
        boolean exponent = false;
        if (peekChar(0) == '.' && peekChar(1) != '.') {
            decimal = true;
            pos++;
            while (isDigit(peekChar(0))) {
                pos++;
            }
        }
        char e = peekChar(0);
        if ((e == 'e' || e == 'E')
                && (isDigit(peekChar(1)) || ((peekChar(1) == '+' || peekChar(1) == '-') && isDigit(peekChar(2))))) {
            exponent = true;
            pos += 2;
            while (isDigit(peekChar(0))) {
                pos++;
            }
        }
        int end = pos;
        if (pos < text.length() && (Keywords.isIdentifierPart(text.charAt(pos)) || text.charAt(pos) == '.')) {
            // "12abc", "1.2.3": one bad token rather than a number followed by a surprise
            while (pos < text.length() && (Keywords.isIdentifierPart(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            String bad = text.substring(start, pos);
            diagnostics.add(Diagnostic.error(new Span(start, pos), "malformed number '" + printable(bad) + "'",
                    Keywords.isIdentifierStart(text.charAt(end)) && !decimal && !exponent
                            ? "names cannot start with a digit; back-quote it: `" + bad + "`" : null));
            tokens.add(new Token(TokenKind.INTEGER, start, pos, bad, null));
            return;
        }
        String s = text.substring(start, end);
        if (exponent) {
            double d = Double.parseDouble(s);
            if (Double.isInfinite(d)) {
                diagnostics.add(Diagnostic.error(new Span(start, end), "number " + s + " is out of range for DOUBLE",
                        null));
                tokens.add(new Token(TokenKind.DOUBLE, start, end, s, null));
            } else {
                tokens.add(new Token(TokenKind.DOUBLE, start, end, s, d));
            }
        } else if (decimal) {
            tokens.add(new Token(TokenKind.DECIMAL, start, end, s, new BigDecimal(s)));
        } else {
            BigInteger big = new BigInteger(s);
            if (big.bitLength() < 64) {
                tokens.add(new Token(TokenKind.INTEGER, start, end, s, big.longValue()));
            } else if (big.equals(LONG_MIN_MAGNITUDE) && previousIsMinus()) {
                // -9223372036854775808: the parser folds the sign into Long.MIN_VALUE
                tokens.add(new Token(TokenKind.INTEGER, start, end, s, big));
            } else {
                diagnostics.add(Diagnostic.error(new Span(start, end),
                        "integer " + s + " is out of range (BIGINT holds -9223372036854775808 to 9223372036854775807)",
                        "write a DECIMAL (" + s + ".0) or a DOUBLE (" + s + "E0)"));
                tokens.add(new Token(TokenKind.INTEGER, start, end, s, null));
            }
        }
    }

    private boolean previousIsMinus() {
        return !tokens.isEmpty() && tokens.get(tokens.size() - 1).kind() == TokenKind.MINUS;
    }

    private void lexString(int start) {
        StringBuilder sb = new StringBuilder();
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    sb.append('\'');
                    i += 2;
                    continue;
                }
                pos = i + 1;
                tokens.add(new Token(TokenKind.STRING, start, pos, text.substring(start, pos), sb.toString()));
                return;
            }
            if (c == '\n') {
                break;
            }
            sb.append(c);
            i++;
        }
        // unterminated: strings do not span lines, so a missing quote costs one error, not the rest of the file
        int eol = lineEnd(start);
        diagnostics.add(Diagnostic.error(new Span(start, start + 1), "unterminated string",
                "close the string with ' (write '' for a quote inside it)"));
        pos = eol;
        tokens.add(new Token(TokenKind.STRING, start, eol, text.substring(start, eol),
                text.substring(start + 1, eol).replace("''", "'")));
    }

    private void lexQuotedIdentifier(int start) {
        StringBuilder sb = new StringBuilder();
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '`') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '`') {
                    sb.append('`');
                    i += 2;
                    continue;
                }
                pos = i + 1;
                if (sb.length() == 0) {
                    diagnostics.add(Diagnostic.error(new Span(start, pos), "empty quoted name", null));
                    sb.append('_');
                }
                tokens.add(new Token(TokenKind.QUOTED_IDENTIFIER, start, pos, text.substring(start, pos),
                        sb.toString()));
                return;
            }
            if (c == '\n') {
                break;
            }
            sb.append(c);
            i++;
        }
        int eol = lineEnd(start);
        diagnostics.add(Diagnostic.error(new Span(start, start + 1), "unterminated quoted name",
                "close the name with ` (write `` for a back-quote inside it)"));
        pos = eol;
        String name = text.substring(start + 1, eol).replace("``", "`");
        tokens.add(new Token(TokenKind.QUOTED_IDENTIFIER, start, eol, text.substring(start, eol),
                name.isEmpty() ? "_" : name));
    }

    private void lexDoubleQuoted(int start) {
        int close = text.indexOf('"', start + 1);
        int eol = lineEnd(start);
        int end = close >= 0 && close < eol ? close + 1 : eol;
        String content = text.substring(start + 1, close >= 0 && close < eol ? close : eol);
        diagnostics.add(Diagnostic.error(new Span(start, end),
                "double quotes are not used: \"" + printable(abbreviate(content)) + "\"",
                "strings use single quotes; identifiers use back-quotes"));
        pos = end;
        tokens.add(new Token(TokenKind.DOUBLE_QUOTED, start, end, text.substring(start, end),
                content.isEmpty() ? "_" : content));
    }

    private int lineEnd(int from) {
        int eol = text.indexOf('\n', from);
        if (eol < 0) {
            return text.length();
        }
        return eol > from && text.charAt(eol - 1) == '\r' ? eol - 1 : eol;
    }

    private static String abbreviate(String s) {
        return s.length() <= 30 ? s : s.substring(0, 27) + "...";
    }

    /** Control and other invisible characters as {@code \\uXXXX}, so messages stay one readable line. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c) && !isPairAt(s, i)
                    || Character.getType(c) == Character.FORMAT || Character.isWhitespace(c) && c != ' ') {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isPairAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
