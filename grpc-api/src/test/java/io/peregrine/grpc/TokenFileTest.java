package io.peregrine.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenFileTest {

    @Test
    void shouldReadTokensScopesAndNames() {
        TokenFile t = TokenFile.parse("tokens.txt", List.of(
                "# who may do what",
                "",
                "reader-0123456789abcdef  read  scorer",
                "  admin-0123456789abcdef admin,READ,ingest  "));
        assertEquals(2, t.size());
        assertEquals(new TokenFile.Principal("scorer", Set.of(Scope.READ)), t.lookup("reader-0123456789abcdef"));
        assertEquals(new TokenFile.Principal("token@tokens.txt:4", Set.of(Scope.ADMIN, Scope.READ, Scope.INGEST)),
                t.lookup("admin-0123456789abcdef"));
        assertNull(t.lookup("reader-0123456789abcde"));
    }

    @Test
    void shouldNameTheLineOfAMalformedEntry() {
        assertEquals("t:2: unknown scope 'write' (scopes: read, ingest, admin)", assertThrows(IllegalArgumentException.class,
                () -> TokenFile.parse("t", List.of("# x", "abcdefghijklmnopq write"))).getMessage());
        assertEquals("t:1: a token needs at least 16 characters of [A-Za-z0-9._~+/=-]", assertThrows(IllegalArgumentException.class,
                () -> TokenFile.parse("t", List.of("short read"))).getMessage());
        assertEquals("t:1: expected TOKEN SCOPES [NAME], got 1 words", assertThrows(IllegalArgumentException.class,
                () -> TokenFile.parse("t", List.of("abcdefghijklmnopq"))).getMessage());
        assertEquals("t:2: the same token appears twice", assertThrows(IllegalArgumentException.class,
                () -> TokenFile.parse("t", List.of("abcdefghijklmnopq read", "abcdefghijklmnopq admin"))).getMessage());
        assertEquals("t: no tokens", assertThrows(IllegalArgumentException.class,
                () -> TokenFile.parse("t", List.of("# nothing"))).getMessage());
    }
}
