package io.peregrine.grpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Bearer tokens and their scopes, read from a text file. Format, one token per line:
 *
 * <pre>
 * # comment lines and blank lines are ignored
 * TOKEN  SCOPE[,SCOPE...]  [NAME]
 * 3b9f0c...e1  read,ingest  fraud-scorer
 * 77aa12...09  admin,read   ops
 * </pre>
 *
 * A token is at least 16 characters of {@code [A-Za-z0-9._~+/=-]}; scopes are {@code read},
 * {@code ingest}, {@code admin}; the optional name appears in logs instead of the token. Only
 * SHA-256 digests of the tokens are kept in memory, and a presented token is looked up by its
 * digest, so comparing never leaks a token's prefix through timing.
 */
public final class TokenFile {

    /** Who a token belongs to and what it may do. */
    public record Principal(String name, Set<Scope> scopes) {
        public Principal {
            scopes = Set.copyOf(scopes);
        }
    }

    private final Map<String, Principal> byDigest;

    private TokenFile(Map<String, Principal> byDigest) {
        this.byDigest = Map.copyOf(byDigest);
    }

    /** @throws IllegalArgumentException naming the file and line of a malformed entry */
    public static TokenFile read(Path file) throws IOException {
        return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    public static TokenFile parse(String name, List<String> lines) {
        Map<String, Principal> map = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = name + ":" + (i + 1) + ": ";
            String[] parts = line.split("\\s+");
            if (parts.length < 2 || parts.length > 3) {
                throw new IllegalArgumentException(where + "expected TOKEN SCOPES [NAME], got " + parts.length + " words");
            }
            String token = parts[0];
            if (token.length() < 16 || !token.matches("[A-Za-z0-9._~+/=-]+")) {
                throw new IllegalArgumentException(where + "a token needs at least 16 characters of [A-Za-z0-9._~+/=-]");
            }
            EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (String s : parts[1].split(",")) {
                try {
                    scopes.add(Scope.valueOf(s.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + "unknown scope '" + s + "' (scopes: read, ingest, admin)");
                }
            }
            String who = parts.length == 3 ? parts[2] : "token@" + name + ":" + (i + 1);
            if (map.put(digest(token), new Principal(who, scopes)) != null) {
                throw new IllegalArgumentException(where + "the same token appears twice");
            }
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException(name + ": no tokens");
        }
        return new TokenFile(map);
    }

    /** The principal of a presented token, or null. */
    public Principal lookup(String token) {
        return byDigest.get(digest(token));
    }

    public int size() {
        return byDigest.size();
    }

    static String digest(String token) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }
}
