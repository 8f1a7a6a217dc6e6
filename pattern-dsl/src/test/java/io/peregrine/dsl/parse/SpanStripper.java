package io.peregrine.dsl.parse;

import io.peregrine.dsl.ast.Span;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds an AST with every {@link Span} set to {@link Span#NONE}, so that trees can be compared by
 * structure alone. Works over any record graph by reflection on record components.
 */
final class SpanStripper {

    private SpanStripper() {}

    @SuppressWarnings("unchecked")
    static <T> T strip(T node) {
        return (T) stripAny(node);
    }

    private static Object stripAny(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Span) {
            return Span.NONE;
        }
        if (o instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object item : (List<?>) o) {
                out.add(stripAny(item));
            }
            return out;
        }
        if (o.getClass().isRecord()) {
            RecordComponent[] components = o.getClass().getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            try {
                for (int i = 0; i < components.length; i++) {
                    values[i] = stripAny(components[i].getAccessor().invoke(o));
                    types[i] = components[i].getType();
                }
                Constructor<?> c = o.getClass().getDeclaredConstructor(types);
                c.setAccessible(true);
                return c.newInstance(values);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot rebuild " + o.getClass(), e);
            }
        }
        return o;
    }
}
