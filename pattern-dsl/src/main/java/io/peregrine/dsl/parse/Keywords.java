package io.peregrine.dsl.parse;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;

/**
 * The reserved words of the language and "did you mean" suggestions. Reserved words can be names
 * only back-quoted; every other keyword ({@code KEY}, {@code SKIP}, {@code ROW}, {@code TIMESTAMP},
 * {@code FIRST}, ...) is recognised by its position and stays usable as a plain name.
 */
public final class Keywords {

    /** Upper-case reserved words; GRAMMAR.md lists the same set. */
    public static final Set<String> RESERVED = Set.of(
            "ALL", "AND", "AS", "ASC", "BETWEEN", "BY", "CASE", "CAST", "CREATE", "DEFINE", "DESC",
            "DISTINCT", "ELSE", "END", "ESCAPE", "FALSE", "FILTER", "FINAL", "FOR", "FROM", "IN",
            "INTERVAL", "IS", "LIKE", "MATCH_RECOGNIZE", "MEASURES", "NOT", "NULL", "ON", "OR", "ORDER",
            "OVER", "PARTITION", "PATTERN", "PERMUTE", "RUNNING", "SELECT", "SUBSET", "THEN", "TRUE",
            "WHEN", "WHERE", "WITH", "WITHIN");

    private Keywords() {}

    public static boolean isReserved(String word) {
        return RESERVED.contains(word.toUpperCase(Locale.ROOT));
    }

    static boolean isIdentifierStart(char c) {
        return c == '_' || Character.isLetter(c);
    }

    static boolean isIdentifierPart(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    /**
     * Whether {@code name} can be written without back-quotes: it lexes as one word that is not
     * reserved ({@code $} may start a name, as in Confluent's {@code $rowtime}).
     */
    public static boolean isPlainName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        int i = name.charAt(0) == '$' ? 1 : 0;
        if (i >= name.length() || !isIdentifierStart(name.charAt(i))) {
            return false;
        }
        for (i++; i < name.length(); i++) {
            if (!isIdentifierPart(name.charAt(i))) {
                return false;
            }
        }
        return !isReserved(name);
    }

    /**
     * The candidate closest to {@code word} (case-insensitive, Damerau-Levenshtein), or null when none
     * is close enough to be a plausible typo.
     */
    public static String closest(String word, Collection<String> candidates) {
        String w = word.toUpperCase(Locale.ROOT);
        int limit = w.length() <= 3 ? 1 : w.length() <= 7 ? 2 : 3;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(w, c.toUpperCase(Locale.ROOT));
            if (d <= limit && d < bestDistance && d < c.length()) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3) {
            return Integer.MAX_VALUE;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
