package io.peregrine.dsl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peregrine.dsl.SourceFile;
import io.peregrine.dsl.ast.Expr;
import io.peregrine.dsl.ast.ProgramAst;
import io.peregrine.dsl.ast.RowPattern;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Printing any tree the parser can produce and parsing the text gives the same tree (spans aside). */
class AstRoundTripPropertiesTest {

    @Provide
    Arbitrary<ProgramAst> programs() {
        return AstArbitraries.program();
    }

    @Provide
    Arbitrary<Expr> expressions() {
        return AstArbitraries.expr(4);
    }

    @Provide
    Arbitrary<RowPattern> rowPatterns() {
        return AstArbitraries.rowPattern(3);
    }

    @Property(tries = 500, seed = "20260401")
    void programsPrintAndParseBackToTheSameTree(@ForAll("programs") ProgramAst program) {
        String text = AstPrinter.print(program);
        SourceFile source = new SourceFile("printed.cep", text);
        ParseResult result = Parser.parse(source);
        assertEquals("", result.diagnostics().stream().map(d -> d.render(source)).collect(Collectors.joining("\n")),
                text);
        assertEquals(program, SpanStripper.strip(result.program()), text);
    }

    @Property(tries = 1000, seed = "20260402")
    void expressionsPrintAndParseBackToTheSameTree(@ForAll("expressions") Expr expr) {
        String text = AstPrinter.print(expr);
        Parser.Fragment<Expr> parsed = Parser.parseExpression(text);
        assertEquals(List.of(), parsed.diagnostics(), text);
        assertEquals(expr, SpanStripper.strip(parsed.value()), text);
    }

    @Property(tries = 1000, seed = "20260403")
    void rowPatternsPrintAndParseBackToTheSameTree(@ForAll("rowPatterns") RowPattern pattern) {
        String text = AstPrinter.print(pattern);
        Parser.Fragment<RowPattern> parsed = Parser.parseRowPattern(text);
        assertEquals(List.of(), parsed.diagnostics(), text);
        assertEquals(pattern, SpanStripper.strip(parsed.value()), text);
    }
}
