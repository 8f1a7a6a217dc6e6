package io.peregrine.dsl.compile;

import io.peregrine.cep.Aggregate;
import io.peregrine.cep.AggregateKind;
import io.peregrine.cep.EventRef;
import io.peregrine.cep.Pattern;
import io.peregrine.dsl.StreamDef;
import io.peregrine.dsl.schema.Column;
import io.peregrine.dsl.schema.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A MATCH_RECOGNIZE lowered to cep-core: which engine elements each pattern variable became (a
 * variable written twice becomes two elements, {@code A} and {@code A#2}), the element patterns to
 * attach conditions to, and the SUBSETs.
 */
final class PatternModel {

    final StreamDef input;
    final int rowtime;
    final Map<String, List<String>> elementsByVariable = new LinkedHashMap<>();
    final Map<String, Set<String>> subsets = new LinkedHashMap<>();
    final Map<String, Pattern<Row>> elementPatterns = new LinkedHashMap<>();
    final Set<String> excludedElements = new LinkedHashSet<>();
    /** How many rows back PREV reaches in any DEFINE: the history cep-core keeps per key. */
    int historyDepth;

    private final Map<String, EventRef<Row>> eventRefs = new HashMap<>();
    private final Map<String, Aggregate<Row>> aggregates = new HashMap<>();

    /** One handle per element and end, so every condition shares the engine's slot. */
    EventRef<Row> eventRef(String element, boolean first) {
        Pattern<Row> p = elementPatterns.get(element);
        return eventRefs.computeIfAbsent(element + (first ? "^first" : "^last"), k -> first ? p.firstEvent() : p.lastEvent());
    }

    /** One running aggregate per element, kind and column ({@code column} null for COUNT(*)). */
    Aggregate<Row> aggregate(String element, AggregateKind kind, Column column) {
        Pattern<Row> p = elementPatterns.get(element);
        String key = element + "^" + kind + "^" + (column == null ? -1 : column.index());
        return aggregates.computeIfAbsent(key,
                k -> p.aggregate(kind, column == null ? r -> 0.0 : new ColumnValue(column.index(), column.type())));
    }

    PatternModel(StreamDef input, int rowtime) {
        this.input = input;
        this.rowtime = rowtime;
    }

    Set<String> variables() {
        return elementsByVariable.keySet();
    }

    /** A new engine element for an occurrence of {@code variable}. */
    String newElement(String variable) {
        List<String> elements = elementsByVariable.computeIfAbsent(variable, v -> new ArrayList<>());
        String name = elements.isEmpty() ? variable : variable + "#" + (elements.size() + 1);
        elements.add(name);
        return name;
    }

    String[] elementsOf(Set<String> variables) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : elementsByVariable.entrySet()) {
            if (variables.contains(e.getKey())) {
                out.addAll(e.getValue());
            }
        }
        return out.toArray(new String[0]);
    }

    /** The variable an engine element stands for. */
    String variableOf(String element) {
        int hash = element.indexOf('#');
        return hash < 0 ? element : element.substring(0, hash);
    }

    /** Constants resolved once the NFA is compiled and element ids are known. */
    record ElementMask(Set<String> variables) {}

    record ElementVariableNames() {}

    record ElementExcluded() {}
}
