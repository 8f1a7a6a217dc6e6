package io.peregrine.dsl.compile;

import java.util.ArrayList;
import java.util.List;

/**
 * Source of one generated class: constants are handed to its constructor as {@code Object[]} and
 * kept in final fields, so the generated code reaches them without lookups.
 */
final class JavaClass {

    final String name;
    private final String header;
    private final StringBuilder fields = new StringBuilder();
    private final StringBuilder init = new StringBuilder();
    private final StringBuilder methods = new StringBuilder();
    final List<Object> constants = new ArrayList<>();
    int counter;

    JavaClass(String name, String implementsClause) {
        this.name = name;
        this.header = "public final class " + name + (implementsClause == null ? "" : " implements " + implementsClause);
    }

    /** A final field holding {@code value}; returns its name. */
    String constant(Object value, String javaType) {
        for (int i = 0; i < constants.size(); i++) {
            if (constants.get(i) == value) {
                return "k" + i;
            }
        }
        int i = constants.size();
        constants.add(value);
        fields.append("  private final ").append(javaType).append(" k").append(i).append(";\n");
        init.append("    k").append(i).append(" = (").append(javaType).append(") k[").append(i).append("];\n");
        return "k" + i;
    }

    void field(String declaration) {
        fields.append("  ").append(declaration).append('\n');
    }

    void method(String source) {
        methods.append(source).append('\n');
    }

    String source() {
        return header + " {\n" + fields + "  public " + name + "(Object[] k) {\n" + init + "  }\n" + methods + "}\n";
    }
}
