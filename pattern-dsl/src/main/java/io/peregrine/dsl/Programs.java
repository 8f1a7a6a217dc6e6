package io.peregrine.dsl;

import io.peregrine.dsl.compile.ProgramCompiler;
import io.peregrine.dsl.parse.ParseResult;
import io.peregrine.dsl.parse.Parser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Compiles program text: the entry point of the language. */
public final class Programs {

    private Programs() {}

    /** Compiles a program; on any error, throws a {@link DslException} listing all of them. */
    public static Program compile(String source) throws DslException {
        return compile("<program>", source);
    }

    /** Compiles a program named {@code name} (shown in diagnostics). */
    public static Program compile(String name, String source) throws DslException {
        SourceFile file = new SourceFile(name, source);
        ParseResult parsed = Parser.parse(file);
        List<Diagnostic> diagnostics = new ArrayList<>(parsed.diagnostics());
        Program program = ProgramCompiler.compile(file, parsed.program(), diagnostics);
        if (program == null) {
            throw new DslException(file, diagnostics);
        }
        return program;
    }

    /** Reads and compiles a UTF-8 program file. */
    public static Program compile(Path file) throws IOException, DslException {
        return compile(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }
}
