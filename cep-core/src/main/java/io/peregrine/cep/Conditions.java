package io.peregrine.cep;

/**
 * Condition combinators used by the compiler. Constants are singletons so the NFA can skip calling
 * them, and combinations with a constant fold away (conditions are pure, so folding is exact).
 */
final class Conditions {

    @SuppressWarnings("rawtypes")
    static final Condition TRUE = new Constant(true);

    @SuppressWarnings("rawtypes")
    static final Condition FALSE = new Constant(false);

    private Conditions() {}

    @SuppressWarnings("unchecked")
    static <E> Condition<E> alwaysTrue() {
        return TRUE;
    }

    @SuppressWarnings("unchecked")
    static <E> Condition<E> alwaysFalse() {
        return FALSE;
    }

    static <E> Condition<E> orTrue(Condition<E> condition) {
        return condition == null ? alwaysTrue() : condition;
    }

    static <E> Condition<E> not(Condition<E> condition) {
        if (condition == null || condition == TRUE) {
            return alwaysFalse();
        }
        if (condition == FALSE) {
            return alwaysTrue();
        }
        if (condition instanceof Not<E> not) {
            return not.inner;
        }
        return new Not<>(condition);
    }

    static <E> Condition<E> and(Condition<E> left, Condition<E> right) {
        if (left == null || left == TRUE) {
            return orTrue(right);
        }
        if (right == null || right == TRUE) {
            return left;
        }
        if (left == FALSE || right == FALSE) {
            return alwaysFalse();
        }
        return new And<>(left, right);
    }

    /** The text of a condition for {@code explain}: its own, or a placeholder for a lambda. */
    static String text(Condition<?> condition) {
        if (condition == null) {
            return "true";
        }
        String d = condition.description();
        return d != null ? d : "<java condition>";
    }

    private static String operand(Condition<?> c) {
        String t = text(c);
        return c instanceof And || c instanceof Or ? "(" + t + ")" : t;
    }

    @SuppressWarnings("rawtypes")
    private record Constant(boolean value) implements Condition {
        @Override
        public boolean test(Object event, Context context) {
            return value;
        }

        @Override
        public String description() {
            return Boolean.toString(value);
        }
    }

    record Not<E>(Condition<E> inner) implements Condition<E> {
        @Override
        public boolean test(E event, Context<E> context) {
            return !inner.test(event, context);
        }

        @Override
        public String description() {
            return "NOT (" + text(inner) + ")";
        }
    }

    record And<E>(Condition<E> left, Condition<E> right) implements Condition<E> {
        @Override
        public boolean test(E event, Context<E> context) {
            return left.test(event, context) && right.test(event, context);
        }

        @Override
        public String description() {
            return operand(left) + " AND " + operand(right);
        }
    }

    record Or<E>(Condition<E> left, Condition<E> right) implements Condition<E> {
        @Override
        public boolean test(E event, Context<E> context) {
            return left.test(event, context) || right.test(event, context);
        }

        @Override
        public String description() {
            return operand(left) + " OR " + operand(right);
        }
    }
}
