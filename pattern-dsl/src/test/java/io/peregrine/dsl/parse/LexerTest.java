package io.peregrine.dsl.parse;

import static io.peregrine.dsl.parse.TokenKind.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peregrine.dsl.Diagnostic;
import io.peregrine.dsl.ast.Span;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LexerTest {

    private static List<Token> tokens(String text) {
        return new Lexer(text).tokenize();
    }

    private static List<TokenKind> kinds(String text) {
        return tokens(text).stream().map(Token::kind).collect(Collectors.toList());
    }

    private static List<Diagnostic> diagnostics(String text) {
        return new Lexer(text).diagnostics();
    }

    @Test
    void shouldRecogniseReservedWordsInAnyCaseAndKeepTheirSpelling() {
        List<Token> t = tokens("select SeLeCt FROM");
        assertEquals(List.of(KEYWORD, KEYWORD, KEYWORD, EOF), t.stream().map(Token::kind).collect(Collectors.toList()));
        assertTrue(t.get(1).isWord("SELECT"));
        assertEquals("SeLeCt", t.get(1).text());
    }

    @Test
    void shouldKeepIdentifiersCaseSensitiveAndContextualKeywordsAsIdentifiers() {
        List<Token> t = tokens("Price price key SKIP timestamp _x1 été");
        for (int i = 0; i < 7; i++) {
            assertEquals(IDENTIFIER, t.get(i).kind(), t.get(i).text());
        }
        assertEquals("Price", t.get(0).value());
        assertEquals("price", t.get(1).value());
        assertEquals("été", t.get(6).value());
    }

    @Test
    void shouldReadBackQuotedNamesWithDoubledBackQuotes() {
        List<Token> t = tokens("`weird name` `select` `a``b`");
        assertEquals(List.of(QUOTED_IDENTIFIER, QUOTED_IDENTIFIER, QUOTED_IDENTIFIER, EOF),
                t.stream().map(Token::kind).collect(Collectors.toList()));
        assertEquals("weird name", t.get(0).value());
        assertEquals("select", t.get(1).value());
        assertEquals("a`b", t.get(2).value());
        assertEquals(new Span(0, 12), t.get(0).span());
    }

    @Test
    void shouldReadStringsWithDoubledQuotes() {
        List<Token> t = tokens("'it''s' ''");
        assertEquals("it's", t.get(0).value());
        assertEquals("", t.get(1).value());
        assertEquals(new Span(0, 7), t.get(0).span());
        assertTrue(diagnostics("'it''s'").isEmpty());
    }

    @Test
    void shouldTypeNumbersByTheirForm() {
        List<Token> t = tokens("42 1.50 1e3 2.5E-2 .5 7. 9223372036854775807");
        assertEquals(List.of(INTEGER, DECIMAL, DOUBLE, DOUBLE, DECIMAL, DECIMAL, INTEGER, EOF),
                t.stream().map(Token::kind).collect(Collectors.toList()));
        assertEquals(42L, t.get(0).value());
        assertEquals(new BigDecimal("1.50"), t.get(1).value());
        assertEquals(1000.0, t.get(2).value());
        assertEquals(0.025, t.get(3).value());
        assertEquals(new BigDecimal("0.5"), t.get(4).value());
        assertEquals(new BigDecimal("7"), t.get(5).value());
        assertEquals(Long.MAX_VALUE, t.get(6).value());
    }

    @Test
    void shouldReportIntegersOutOfRangeExceptTheMagnitudeOfLongMinAfterAMinus() {
        List<Diagnostic> d = diagnostics("x = 9223372036854775808");
        assertEquals(1, d.size());
        assertEquals(new Span(4, 23), d.get(0).span());
        assertTrue(d.get(0).message().contains("out of range"), d.get(0).message());
        assertNull(tokens("9223372036854775808").get(0).value());

        assertTrue(diagnostics("-9223372036854775808").isEmpty());
        assertEquals(BigInteger.ONE.shiftLeft(63), tokens("-9223372036854775808").get(1).value());
        assertEquals(1, diagnostics("99999999999999999999999").size());
    }

    @Test
    void shouldSkipCommentsOfBothKinds() {
        assertEquals(List.of(IDENTIFIER, IDENTIFIER, IDENTIFIER, EOF), kinds("a -- note\nb /* x\n y */ c"));
        assertEquals(List.of(IDENTIFIER, EOF), kinds("a -- to the end"));
    }

    @Test
    void shouldReportAnUnterminatedCommentAtItsStart() {
        List<Diagnostic> d = diagnostics("a /* no end");
        assertEquals(1, d.size());
        assertEquals(new Span(2, 4), d.get(0).span());
        assertEquals("unterminated comment", d.get(0).message());
    }

    @Test
    void shouldEndAnUnterminatedStringAtTheEndOfItsLine() {
        List<Token> t = tokens("x = 'abc\ny");
        assertEquals(List.of(IDENTIFIER, EQ, STRING, IDENTIFIER, EOF),
                t.stream().map(Token::kind).collect(Collectors.toList()));
        assertEquals("abc", t.get(2).value());
        List<Diagnostic> d = diagnostics("x = 'abc\ny");
        assertEquals(1, d.size());
        assertEquals(new Span(4, 5), d.get(0).span());
        assertEquals("unterminated string", d.get(0).message());
    }

    @Test
    void shouldReportDoubleQuotesWithTheHint() {
        List<Diagnostic> d = diagnostics("WITH (\"format\" = 'json')");
        assertEquals(1, d.size());
        assertEquals(new Span(6, 14), d.get(0).span());
        assertEquals("strings use single quotes; identifiers use back-quotes", d.get(0).hint());
        Token t = tokens("\"format\"").get(0);
        assertEquals(DOUBLE_QUOTED, t.kind());
        assertEquals("format", t.value());
    }

    @Test
    void shouldLexEveryOperator() {
        assertEquals(List.of(EQ, NE, NE, LT, LE, GT, GE, PLUS, MINUS, STAR, SLASH, PERCENT, CONCAT, LPAREN, RPAREN,
                COMMA, DOT, SEMICOLON, LBRACE, RBRACE, QUESTION, BAR, CARET, DOLLAR, BANG, ARROW, DOUBLE_ARROW,
                LBRACE_MINUS, MINUS_RBRACE, EOF),
                kinds("= <> != < <= > >= + - * / % || ( ) , . ; { } ? | ^ $ ! -> ->> {- -}"));
    }

    @Test
    void shouldLexPatternOperatorsWithoutSpaces() {
        assertEquals(List.of(IDENTIFIER, ARROW, PLUS, DOUBLE_ARROW, IDENTIFIER, LBRACE, INTEGER, COMMA, RBRACE, QUESTION,
                LBRACE_MINUS, IDENTIFIER, MINUS_RBRACE, IDENTIFIER, DOLLAR, RPAREN, EOF),
                kinds("A->+->>B{3,}?{-C-}D$)"));
        assertEquals(List.of(CARET, IDENTIFIER, BANG, IDENTIFIER, EOF), kinds("^A !B"));
    }

    @Test
    void shouldReadDollarNamesButKeepTheEndAnchor() {
        List<Token> t = tokens("$rowtime $ B$");
        assertEquals(List.of(IDENTIFIER, DOLLAR, IDENTIFIER, DOLLAR, EOF),
                t.stream().map(Token::kind).collect(Collectors.toList()));
        assertEquals("$rowtime", t.get(0).value());
    }

    @Test
    void shouldReplaceDoubleEqualsAndDoubleAmpersandWithHints() {
        List<Token> t = tokens("a == b && c");
        assertEquals(List.of(IDENTIFIER, EQ, IDENTIFIER, KEYWORD, IDENTIFIER, EOF),
                t.stream().map(Token::kind).collect(Collectors.toList()));
        assertTrue(t.get(3).isWord("AND"));
        List<Diagnostic> d = diagnostics("a == b && c");
        assertEquals(2, d.size());
        assertEquals("use = for equality", d.get(0).hint());
        assertEquals(new Span(2, 4), d.get(0).span());
        assertEquals("use AND", d.get(1).hint());
    }

    @Test
    void shouldReportARunOfStrayCharactersOnce() {
        List<Diagnostic> d = diagnostics("a #@~ b \u0000");
        assertEquals(2, d.size());
        assertEquals(new Span(2, 5), d.get(0).span());
        assertEquals("unexpected characters '#@~'", d.get(0).message());
        assertEquals("unexpected character '\\u0000'", d.get(1).message());
        assertEquals(List.of(IDENTIFIER, IDENTIFIER, EOF), kinds("a #@~ b \u0000"));
    }

    @Test
    void shouldReportMalformedNumbersAsOneToken() {
        List<Diagnostic> d = diagnostics("12abc 1.2.3");
        assertEquals(2, d.size());
        assertEquals("malformed number '12abc'", d.get(0).message());
        assertEquals(new Span(6, 11), d.get(1).span());
        assertEquals(List.of(INTEGER, INTEGER, EOF), kinds("12abc 1.2.3"));
    }

    @Test
    void shouldEndWithEofAtTheEndOfTheText() {
        List<Token> t = tokens("  a  ");
        assertEquals(new Span(5, 5), t.get(t.size() - 1).span());
        assertEquals(List.of(EOF), kinds(""));
    }

    @Test
    void shouldNotMistakeAQualifiedNameForANumber() {
        assertEquals(List.of(IDENTIFIER, DOT, IDENTIFIER, EOF), kinds("A.price"));
        assertEquals(List.of(QUOTED_IDENTIFIER, DOT, IDENTIFIER, EOF), kinds("`A`.x"));
    }
}
