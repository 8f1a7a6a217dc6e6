package io.peregrine.cep;

import java.util.ArrayList;
import java.util.List;

/** One state of a compiled NFA. Mutable only while the compiler builds it. */
final class CompiledState<E> {

    enum Kind {
        NORMAL,
        FINAL,
        /** Reached when a NOT element's condition matches: the whole branch is discarded. */
        STOP,
        /** Waiting out a trailing {@code notFollowedBy}: becomes a match when the window passes. */
        PENDING
    }

    enum Action {
        TAKE,
        IGNORE,
        PROCEED
    }

    static final class Transition<E> {
        final Action action;
        final CompiledState<E> source;
        final CompiledState<E> target;
        /** Null means always true. */
        Condition<E> condition;

        Transition(Action action, CompiledState<E> source, CompiledState<E> target, Condition<E> condition) {
            this.action = action;
            this.source = source;
            this.target = target;
            this.condition = condition;
        }
    }

    final String name;
    final String elementName;
    final Kind kind;
    int id = -1;
    int elementId = -1;
    boolean start;
    /** Bound on the time since the previous taken event while in this state, or 0. */
    long gapWindow;
    final List<Transition<E>> transitionList = new ArrayList<>(4);
    Transition<E>[] transitions;

    CompiledState(String name, String elementName, Kind kind) {
        this.name = name;
        this.elementName = elementName;
        this.kind = kind;
    }

    void addTransition(Action action, CompiledState<E> target, Condition<E> condition) {
        transitionList.add(new Transition<>(action, this, target, condition));
    }

    void addTake(CompiledState<E> target, Condition<E> condition) {
        addTransition(Action.TAKE, target, condition);
    }

    void addTake(Condition<E> condition) {
        addTransition(Action.TAKE, this, condition);
    }

    void addIgnore(Condition<E> condition) {
        addTransition(Action.IGNORE, this, condition);
    }

    void addIgnore(CompiledState<E> target, Condition<E> condition) {
        addTransition(Action.IGNORE, target, condition);
    }

    void addProceed(CompiledState<E> target, Condition<E> condition) {
        addTransition(Action.PROCEED, target, condition);
    }

    boolean isFinal() {
        return kind == Kind.FINAL;
    }

    boolean isStop() {
        return kind == Kind.STOP;
    }

    boolean isPending() {
        return kind == Kind.PENDING;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(start ? " (start)" : "").append(' ').append(kind);
        for (Transition<E> t : transitionList) {
            sb.append("\n  ").append(t.action).append(" -> ").append(t.target.name)
                    .append(t.condition == null ? "" : " [cond]");
        }
        return sb.toString();
    }
}
