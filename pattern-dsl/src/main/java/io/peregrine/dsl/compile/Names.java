package io.peregrine.dsl.compile;

import io.peregrine.dsl.parse.Keywords;
import java.util.Collection;

/** "Did you mean" hints for names, with the parser's edit distance (ignoring case, transpositions count once). */
final class Names {

    private Names() {}

    /** "did you mean 'x'?" or a list of what there is. */
    static String hint(String name, Collection<String> candidates, String what) {
        String c = Keywords.closest(name, candidates);
        if (c != null) {
            return "did you mean '" + c + "'?";
        }
        if (candidates.isEmpty()) {
            return null;
        }
        return what + ": " + String.join(", ", candidates);
    }
}
