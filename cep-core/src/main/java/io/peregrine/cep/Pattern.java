package io.peregrine.cep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * A pattern over events of type {@code E}, built fluently as in FlinkCEP:
 *
 * <pre>{@code
 * Pattern<Txn> p = Pattern.<Txn>begin("small").where(t -> t.amount() < 1)
 *         .followedBy("large").where(t -> t.amount() > 500)
 *         .within(Duration.ofMinutes(10));
 * }</pre>
 *
 * <p>Each call that starts a new element ({@code next}, {@code followedBy}, ...) returns that element;
 * the others modify the element they are called on and return it. Compile a pattern with
 * {@link Nfa#compile(Pattern)}. Rules that depend on the whole pattern are checked there, rules about
 * one element here, and every violation names the element.
 *
 * <p>Beyond FlinkCEP, {@link #anyOf(Pattern[]) anyOf} builds an alternation: one element whose match
 * is a match of any one of several pattern sequences.
 */
public final class Pattern<E> {

    static final String GROUP_NAME = "GroupPattern";

    private final String name;
    private final Pattern<E> previous;
    private final Pattern<E> group;
    /** The last element of each branch when this is an alternation, else null. */
    private final List<Pattern<E>> branches;
    private final AfterMatchSkipStrategy skipStrategy;
    private final ConsumingStrategy consumingStrategy;

    private Condition<E> condition;
    private Condition<E> untilCondition;
    private Quantity quantity = Quantity.SINGLE;
    private ConsumingStrategy innerConsumingStrategy = ConsumingStrategy.SKIP_TILL_NEXT;
    private boolean optional;
    private boolean greedy;
    private int timesFrom = 1;
    private int timesTo = 1;
    private boolean timesSet;
    private long timesGapMillis = -1;
    private long windowMillis = -1;
    private long gapWindowMillis = -1;
    private final List<Aggregate<E>> aggregates = new ArrayList<>(0);
    private final List<EventRef<E>> eventRefs = new ArrayList<>(0);

    enum Quantity {
        SINGLE,
        LOOPING,
        TIMES
    }

    private Pattern(
            String name,
            Pattern<E> previous,
            Pattern<E> group,
            ConsumingStrategy consumingStrategy,
            AfterMatchSkipStrategy skipStrategy) {
        this(name, previous, group, null, consumingStrategy, skipStrategy);
    }

    private Pattern(
            String name,
            Pattern<E> previous,
            Pattern<E> group,
            List<Pattern<E>> branches,
            ConsumingStrategy consumingStrategy,
            AfterMatchSkipStrategy skipStrategy) {
        this.name = name;
        this.previous = previous;
        this.group = group;
        this.branches = branches;
        this.consumingStrategy = consumingStrategy;
        this.skipStrategy = Objects.requireNonNull(skipStrategy, "skipStrategy");
    }

    // ---------------------------------------------------------------- starting a pattern

    /** Starts a pattern whose first element is called {@code name}; matches do not skip ({@code NO_SKIP}). */
    public static <E> Pattern<E> begin(String name) {
        return begin(name, AfterMatchSkipStrategy.noSkip());
    }

    public static <E> Pattern<E> begin(String name, AfterMatchSkipStrategy skipStrategy) {
        return new Pattern<>(checkName(name), null, null, ConsumingStrategy.STRICT, skipStrategy);
    }

    /**
     * Starts a pattern whose first element is a group: a whole pattern used as one element. An
     * alternation fresh from {@link #anyOf(Pattern[]) anyOf} (nothing applied to it yet) becomes that
     * alternation element itself rather than a group around it.
     */
    public static <E> Pattern<E> begin(Pattern<E> group) {
        return begin(group, AfterMatchSkipStrategy.noSkip());
    }

    public static <E> Pattern<E> begin(Pattern<E> group, AfterMatchSkipStrategy skipStrategy) {
        return element(group, null, ConsumingStrategy.STRICT, skipStrategy);
    }

    /**
     * An alternation of pattern sequences, which FlinkCEP lacks: one element that a match passes
     * through by exactly one of the {@code branches}, as SQL's {@code (A B | C D)}. Each branch is an
     * ordinary pattern started with {@link #begin(String)} (groups, quantifiers, contiguity and NOT
     * elements inside it work as anywhere else); element names must be unique across the whole
     * pattern, so two branches cannot share one.
     *
     * <p>The result starts a pattern, like {@code begin}: extend it ({@code anyOf(b, c).next("d")}),
     * quantify it ({@code times}, {@code oneOrMore}, {@code optional}, {@code consecutive}, ...; not
     * {@code greedy}, as for groups), or place it after other elements with
     * {@code next}/{@code followedBy}/{@code followedByAny}, which apply their contiguity to the first
     * element of every branch.
     *
     * <p>Semantics: the matches of {@code x (B1 | B2) y} are exactly those of {@code x B1 y} together
     * with those of {@code x B2 y} (a multiset union: a match that both produce is emitted twice);
     * a quantified alternation repeats the choice in each round, so {@code (B1 | B2){2}} yields the
     * matches of its four sequences {@code B1 B1}, {@code B1 B2}, {@code B2 B1} and {@code B2 B2}.
     * {@link Nfa#compile} rejects the few uses where that would not hold (a branch that takes no
     * event, a window inside a branch, NOT elements at its borders, ...; see cep-core/README.md).
     *
     * @throws MalformedPatternException when there is no branch, or a branch carries a skip strategy
     *     (the skip strategy belongs to the whole pattern: pass it to its {@code begin})
     */
    @SafeVarargs
    public static <E> Pattern<E> anyOf(Pattern<E>... branches) {
        return anyOf(Arrays.asList(Objects.requireNonNull(branches, "branches")));
    }

    /** {@link #anyOf(Pattern[])} for a list of branches, in order. */
    public static <E> Pattern<E> anyOf(List<? extends Pattern<E>> branches) {
        Objects.requireNonNull(branches, "branches");
        if (branches.isEmpty()) {
            throw new MalformedPatternException("An alternation (anyOf) needs at least one branch");
        }
        List<Pattern<E>> copy = new ArrayList<>(branches.size());
        for (int i = 0; i < branches.size(); i++) {
            Pattern<E> branch = Objects.requireNonNull(branches.get(i), "branch " + i);
            if (!branch.skipStrategy.equals(AfterMatchSkipStrategy.noSkip())) {
                throw new MalformedPatternException("Pattern element '" + branch.name + "': a branch of an"
                        + " alternation cannot have its own skip strategy (" + branch.skipStrategy
                        + "); pass it to the begin(...) of the whole pattern");
            }
            copy.add(branch);
        }
        List<Pattern<E>> list = Collections.unmodifiableList(copy);
        return new Pattern<>(alternationName(list), null, null, list, ConsumingStrategy.STRICT,
                AfterMatchSkipStrategy.noSkip());
    }

    // ---------------------------------------------------------------- next elements

    /** The next element must take the very next event (strict contiguity). */
    public Pattern<E> next(String name) {
        return new Pattern<>(checkName(name), this, null, ConsumingStrategy.STRICT, skipStrategy);
    }

    /** The next element takes the next matching event, skipping non-matching ones (relaxed contiguity). */
    public Pattern<E> followedBy(String name) {
        return new Pattern<>(checkName(name), this, null, ConsumingStrategy.SKIP_TILL_NEXT, skipStrategy);
    }

    /** The next element may take any later matching event (non-deterministic relaxed contiguity). */
    public Pattern<E> followedByAny(String name) {
        return new Pattern<>(checkName(name), this, null, ConsumingStrategy.SKIP_TILL_ANY, skipStrategy);
    }

    /** The very next event must not match this element's condition. */
    public Pattern<E> notNext(String name) {
        checkNotAfterOptional("notNext", name);
        return new Pattern<>(checkName(name), this, null, ConsumingStrategy.NOT_NEXT, skipStrategy);
    }

    /**
     * No event matching this element's condition may occur before the next element; as the last
     * element, none within the pattern's window (which is then required).
     */
    public Pattern<E> notFollowedBy(String name) {
        checkNotAfterOptional("notFollowedBy", name);
        return new Pattern<>(checkName(name), this, null, ConsumingStrategy.NOT_FOLLOW, skipStrategy);
    }

    /**
     * The next element is a group (or, for a fresh {@link #anyOf(Pattern[]) anyOf}, that alternation)
     * whose first event must be the very next one.
     */
    public Pattern<E> next(Pattern<E> group) {
        return element(group, this, ConsumingStrategy.STRICT, skipStrategy);
    }

    public Pattern<E> followedBy(Pattern<E> group) {
        return element(group, this, ConsumingStrategy.SKIP_TILL_NEXT, skipStrategy);
    }

    public Pattern<E> followedByAny(Pattern<E> group) {
        return element(group, this, ConsumingStrategy.SKIP_TILL_ANY, skipStrategy);
    }

    /** A group element around {@code sub}, or the alternation itself when {@code sub} is a fresh one. */
    private static <E> Pattern<E> element(
            Pattern<E> sub, Pattern<E> previous, ConsumingStrategy strategy, AfterMatchSkipStrategy skip) {
        Objects.requireNonNull(sub, "group");
        if (sub.isFreshAlternation()) {
            return new Pattern<>(sub.name, previous, null, sub.branches, strategy, skip);
        }
        return new Pattern<>(GROUP_NAME, previous, sub, null, strategy, skip);
    }

    /** An alternation as anyOf returns it: first of its chain, nothing applied to it. */
    private boolean isFreshAlternation() {
        return branches != null
                && previous == null
                && quantity == Quantity.SINGLE
                && !optional
                && innerConsumingStrategy == ConsumingStrategy.SKIP_TILL_NEXT
                && windowMillis < 0
                && gapWindowMillis < 0;
    }

    // ---------------------------------------------------------------- conditions

    /** Adds a condition; several {@code where} calls are combined with AND. */
    public Pattern<E> where(Condition<E> condition) {
        Objects.requireNonNull(condition, "condition");
        checkNotGroup("where");
        this.condition = this.condition == null ? condition : this.condition.and(condition);
        return this;
    }

    /** Adds a condition that only looks at the event. */
    public Pattern<E> where(Predicate<? super E> predicate) {
        return where(Condition.of(predicate));
    }

    /** Combines a condition with the current ones by OR. */
    public Pattern<E> or(Condition<E> condition) {
        Objects.requireNonNull(condition, "condition");
        checkNotGroup("or");
        this.condition = this.condition == null ? condition : this.condition.or(condition);
        return this;
    }

    public Pattern<E> or(Predicate<? super E> predicate) {
        return or(Condition.of(predicate));
    }

    /** Adds a condition that the event is an instance of {@code type}. */
    public Pattern<E> subtype(Class<? extends E> type) {
        Objects.requireNonNull(type, "type");
        return where(Condition.of(type::isInstance));
    }

    /** Stops a looping element: the loop accepts no event once one matches {@code condition}. */
    public Pattern<E> until(Condition<E> condition) {
        Objects.requireNonNull(condition, "condition");
        if (untilCondition != null) {
            throw malformed("only one until condition can be applied");
        }
        if (quantity != Quantity.LOOPING) {
            throw malformed("until applies only to looping elements (oneOrMore, timesOrMore)");
        }
        this.untilCondition = condition;
        return this;
    }

    public Pattern<E> until(Predicate<? super E> predicate) {
        return until(Condition.of(predicate));
    }

    // ---------------------------------------------------------------- windows

    /** The whole match, first event to last, must be shorter than {@code window}. */
    public Pattern<E> within(Duration window) {
        return within(window, WithinType.FIRST_AND_LAST);
    }

    public Pattern<E> within(Duration window, WithinType type) {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(type, "type");
        long millis = window.toMillis();
        if (millis <= 0) {
            throw malformed("within needs a positive interval, got " + window);
        }
        if (type == WithinType.PREVIOUS_AND_CURRENT && branches != null) {
            throw malformed("within(..., PREVIOUS_AND_CURRENT) is not applicable to an alternation;"
                    + " put it on elements inside the branches");
        }
        if (type == WithinType.FIRST_AND_LAST) {
            windowMillis = millis;
        } else {
            gapWindowMillis = millis;
        }
        return this;
    }

    // ---------------------------------------------------------------- quantifiers

    /** Exactly {@code n} events. */
    public Pattern<E> times(int n) {
        return times(n, null);
    }

    /** Exactly {@code n} events, each within {@code gap} of the one before (null: no gap bound). */
    public Pattern<E> times(int n, Duration gap) {
        checkNotNot("times");
        checkNoQuantifier();
        if (n <= 0) {
            throw malformed("times(" + n + "): the count must be at least 1");
        }
        return setTimes(Quantity.TIMES, n, n, gap);
    }

    /** Between {@code from} and {@code to} events; {@code from} 0 makes the element optional. */
    public Pattern<E> times(int from, int to) {
        return times(from, to, null);
    }

    public Pattern<E> times(int from, int to, Duration gap) {
        checkNotNot("times");
        checkNoQuantifier();
        if (from < 0) {
            throw malformed("times(" + from + ", " + to + "): from must not be negative");
        }
        if (to < from) {
            throw malformed("times(" + from + ", " + to + "): to must be at least from");
        }
        if (to == 0) {
            throw malformed("times(0, 0): from and to must not both be 0");
        }
        if (from == 0) {
            // times(0, n) is an optional times(1, n), as in FlinkCEP
            if (!optional) {
                markOptional();
            }
            from = 1;
        }
        return setTimes(Quantity.TIMES, from, to, gap);
    }

    /** One or more events. */
    public Pattern<E> oneOrMore() {
        return oneOrMore(null);
    }

    public Pattern<E> oneOrMore(Duration gap) {
        checkNotNot("oneOrMore");
        checkNoQuantifier();
        return setTimes(Quantity.LOOPING, 1, 1, gap);
    }

    /** At least {@code n} events. */
    public Pattern<E> timesOrMore(int n) {
        return timesOrMore(n, null);
    }

    public Pattern<E> timesOrMore(int n, Duration gap) {
        checkNotNot("timesOrMore");
        checkNoQuantifier();
        if (n <= 0) {
            throw malformed("timesOrMore(" + n + "): the count must be at least 1 (use optional() for zero)");
        }
        return setTimes(Quantity.LOOPING, n, n, gap);
    }

    /** The element may be skipped entirely. */
    public Pattern<E> optional() {
        if (previous != null && previous.greedy) {
            throw malformed("an optional element cannot follow the greedy element '" + previous.name + "'");
        }
        markOptional();
        return this;
    }

    /** A quantified element takes as many events as it can before the next element. */
    public Pattern<E> greedy() {
        checkNotNot("greedy");
        checkNotGroup("greedy");
        if (innerConsumingStrategy == ConsumingStrategy.SKIP_TILL_ANY) {
            throw malformed("greedy is not applicable together with allowCombinations");
        }
        if (quantity == Quantity.SINGLE) {
            throw malformed("greedy applies only to quantified elements (times, oneOrMore, timesOrMore)");
        }
        greedy = true;
        return this;
    }

    /** The events a quantified element takes must be contiguous. */
    public Pattern<E> consecutive() {
        if (quantity == Quantity.SINGLE) {
            throw malformed("consecutive applies only to quantified elements (times, oneOrMore, timesOrMore)");
        }
        if (innerConsumingStrategy == ConsumingStrategy.SKIP_TILL_ANY) {
            throw malformed("apply either allowCombinations or consecutive, not both");
        }
        if (innerConsumingStrategy == ConsumingStrategy.STRICT) {
            throw malformed("consecutive is already applied");
        }
        innerConsumingStrategy = ConsumingStrategy.STRICT;
        return this;
    }

    /** A quantified element may take any combination of matching events (non-deterministic). */
    public Pattern<E> allowCombinations() {
        if (quantity == Quantity.SINGLE) {
            throw malformed("allowCombinations applies only to quantified elements (times, oneOrMore, timesOrMore)");
        }
        if (innerConsumingStrategy == ConsumingStrategy.STRICT) {
            throw malformed("apply either allowCombinations or consecutive, not both");
        }
        if (innerConsumingStrategy == ConsumingStrategy.SKIP_TILL_ANY) {
            throw malformed("allowCombinations is already applied");
        }
        innerConsumingStrategy = ConsumingStrategy.SKIP_TILL_ANY;
        return this;
    }

    // ---------------------------------------------------------------- running aggregates

    /**
     * Declares a running aggregate over the events this element takes, readable by later conditions
     * with {@link Context#aggregate(Aggregate)}. It is maintained incrementally per partial match.
     */
    public Aggregate<E> aggregate(AggregateKind kind, ToDoubleFunction<? super E> value) {
        checkNotGroup("aggregate");
        Aggregate<E> aggregate = new Aggregate<>(name, kind, value);
        aggregates.add(aggregate);
        return aggregate;
    }

    /** Declares a handle to the first event this element takes in a partial match. */
    public EventRef<E> firstEvent() {
        checkNotGroup("firstEvent");
        EventRef<E> ref = new EventRef<>(name, true);
        eventRefs.add(ref);
        return ref;
    }

    /** Declares a handle to the latest event this element has taken in a partial match. */
    public EventRef<E> lastEvent() {
        checkNotGroup("lastEvent");
        EventRef<E> ref = new EventRef<>(name, false);
        eventRefs.add(ref);
        return ref;
    }

    // ---------------------------------------------------------------- accessors

    public String name() {
        return name;
    }

    public Pattern<E> previous() {
        return previous;
    }

    /** The pattern this group element wraps, or null when this is a plain element. */
    public Pattern<E> group() {
        return group;
    }

    public boolean isGroup() {
        return group != null;
    }

    /** Whether this element is an alternation ({@link #anyOf(Pattern[]) anyOf}). */
    public boolean isAlternation() {
        return branches != null;
    }

    /** The last element of each branch, in order, when this is an alternation; else an empty list. */
    public List<Pattern<E>> branches() {
        return branches == null ? List.of() : branches;
    }

    public AfterMatchSkipStrategy skipStrategy() {
        return skipStrategy;
    }

    public ConsumingStrategy consumingStrategy() {
        return consumingStrategy;
    }

    public ConsumingStrategy innerConsumingStrategy() {
        return innerConsumingStrategy;
    }

    public boolean isOptional() {
        return optional;
    }

    public boolean isGreedy() {
        return greedy;
    }

    public boolean isLooping() {
        return quantity == Quantity.LOOPING;
    }

    public boolean isTimes() {
        return quantity == Quantity.TIMES;
    }

    public int timesFrom() {
        return timesFrom;
    }

    public int timesTo() {
        return timesTo;
    }

    /** Whole-match window in milliseconds, or -1. */
    public long windowMillis() {
        return windowMillis;
    }

    /** Gap window (previous event to this element's event) in milliseconds, or -1. */
    public long gapWindowMillis() {
        return gapWindowMillis;
    }

    Condition<E> condition() {
        return condition;
    }

    Condition<E> untilCondition() {
        return untilCondition;
    }

    Quantity quantity() {
        return quantity;
    }

    boolean timesSet() {
        return timesSet;
    }

    long timesGapMillis() {
        return timesGapMillis;
    }

    List<Aggregate<E>> aggregates() {
        return Collections.unmodifiableList(aggregates);
    }

    List<EventRef<E>> eventRefs() {
        return Collections.unmodifiableList(eventRefs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (previous != null) {
            sb.append(previous).append(' ').append(consumingStrategy).append(' ');
        }
        if (group != null) {
            sb.append('(').append(group).append(')');
        } else if (branches != null) {
            sb.append('(');
            for (int i = 0; i < branches.size(); i++) {
                sb.append(i == 0 ? "" : " | ").append(branches.get(i));
            }
            sb.append(')');
        } else {
            sb.append(name);
        }
        if (quantity == Quantity.LOOPING) {
            sb.append('{').append(timesFrom).append(",}");
        } else if (quantity == Quantity.TIMES) {
            sb.append('{').append(timesFrom).append(',').append(timesTo).append('}');
        }
        if (optional) {
            sb.append('?');
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- checks

    private Pattern<E> setTimes(Quantity quantity, int from, int to, Duration gap) {
        this.quantity = quantity;
        this.timesFrom = from;
        this.timesTo = to;
        this.timesSet = true;
        if (gap != null) {
            long millis = gap.toMillis();
            if (millis <= 0) {
                throw malformed("the gap interval must be positive, got " + gap);
            }
            if (branches != null) {
                throw malformed("a gap interval is not applicable to an alternation's quantifier;"
                        + " put within(..., PREVIOUS_AND_CURRENT) on elements inside the branches");
            }
            this.timesGapMillis = millis;
        }
        return this;
    }

    private void markOptional() {
        if (optional) {
            throw malformed("optional is already applied");
        }
        if (consumingStrategy == ConsumingStrategy.NOT_NEXT || consumingStrategy == ConsumingStrategy.NOT_FOLLOW) {
            throw malformed("a NOT element cannot be optional");
        }
        optional = true;
    }

    private void checkNotAfterOptional(String operator, String nextName) {
        if (optional) {
            throw new MalformedPatternException("Pattern element '" + nextName + "': " + operator
                    + " cannot follow the optional element '" + name
                    + "'; write two patterns, one with and one without the optional part");
        }
    }

    private void checkNotNot(String option) {
        if (consumingStrategy == ConsumingStrategy.NOT_NEXT || consumingStrategy == ConsumingStrategy.NOT_FOLLOW) {
            throw malformed(option + " is not applicable to a NOT element");
        }
    }

    private void checkNotGroup(String option) {
        if (group != null) {
            throw malformed(option + " is not applicable to a group element");
        }
        if (branches != null) {
            throw malformed(option + " is not applicable to an alternation");
        }
    }

    private void checkNoQuantifier() {
        if (quantity != Quantity.SINGLE) {
            throw malformed("a quantifier is already applied: " + this);
        }
    }

    private MalformedPatternException malformed(String rule) {
        return new MalformedPatternException("Pattern element '" + name + "': " + rule);
    }

    /** {@code anyOf(a b | c)}: the element names of each branch, for messages. */
    private static <E> String alternationName(List<Pattern<E>> branches) {
        StringBuilder sb = new StringBuilder("anyOf(");
        for (int i = 0; i < branches.size(); i++) {
            sb.append(i == 0 ? "" : " | ");
            appendNames(branches.get(i), sb);
        }
        return sb.append(')').toString();
    }

    private static <E> void appendNames(Pattern<E> last, StringBuilder sb) {
        List<Pattern<E>> chain = new ArrayList<>();
        for (Pattern<E> p = last; p != null; p = p.previous) {
            chain.add(p);
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            Pattern<E> p = chain.get(i);
            if (i < chain.size() - 1) {
                sb.append(' ');
            }
            if (p.group != null) {
                sb.append('(');
                appendNames(p.group, sb);
                sb.append(')');
            } else {
                sb.append(p.name);
            }
        }
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new MalformedPatternException("Pattern element names must not be empty");
        }
        if (name.indexOf(':') >= 0 || name.startsWith("$")) {
            throw new MalformedPatternException("Pattern element '" + name + "': names must not contain ':' or start with '$'");
        }
        return name;
    }
}
