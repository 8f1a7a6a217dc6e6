package io.peregrine.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.peregrine.dsl.DslException;
import io.peregrine.dsl.Programs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every program in the docs compiles: ```sql blocks of README.md and docs/*.md, and examples/*.cep. */
class DocumentedProgramsTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void shouldCompileEveryDocumentedProgram() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        int blocks = 0;
        List<String> failures = new ArrayList<>();
        for (Path doc : docs) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).trim().equals("```sql")) {
                    continue;
                }
                int start = i + 1;
                StringBuilder sb = new StringBuilder();
                for (i = start; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
                    sb.append(lines.get(i)).append('\n');
                }
                blocks++;
                String text = sb.toString();
                if (!text.contains("CREATE STREAM")) {
                    // a pattern shown alone reads the stream of the document's first program
                    continue;
                }
                try {
                    Programs.compile(doc.getFileName() + ":" + (start + 1), text);
                } catch (DslException e) {
                    failures.add(doc + " block at line " + (start + 1) + ":\n" + e.getMessage());
                }
            }
        }
        try (Stream<Path> s = Files.list(ROOT.resolve("examples"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".cep")).sorted().toList()) {
                try {
                    Programs.compile(p.toString(), Files.readString(p));
                } catch (DslException e) {
                    failures.add(e.getMessage());
                }
            }
        }
        assertFalse(blocks == 0, "no ```sql block found");
        if (!failures.isEmpty()) {
            fail(String.join("\n\n", failures));
        }
    }
}
