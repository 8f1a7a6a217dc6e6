package io.peregrine.cep;

import io.peregrine.cep.CompiledState.Action;
import io.peregrine.cep.CompiledState.Kind;
import io.peregrine.cep.CompiledState.Transition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a {@link Pattern} into NFA states.
 *
 * <p>The construction follows FlinkCEP's compiler state for state and edge for edge (it walks the
 * pattern from the last element to the first; quantifiers unfold into chains of TAKE/IGNORE/PROCEED
 * states; NOT elements become stop states and pending states). Keeping the same graph, in the same
 * edge order, is what makes the Dewey versions, and so the matches and their order, identical to
 * FlinkCEP's. Only the representation differs: int ids, arrays, folded constant conditions.
 *
 * <p>Alternations ({@link Pattern#anyOf}), which FlinkCEP lacks, are built from the same kinds of
 * states and edges: a split state whose PROCEED edges lead into each branch, the branches compiled
 * like the contents of a group, all ending in the state after the alternation. A run waits in the
 * split state; an event takes or ignores its way into one branch (its PROCEED closure holds the edges
 * of every branch). Each branch's first element is compiled as if the branch stood where the
 * alternation stands (its contiguity, or the group rules if the alternation heads a group), so the
 * matches are the union of the branches' matches. A pattern without alternations compiles exactly as
 * before.
 */
final class NfaCompiler<E> {

    static final String ENDING_STATE_NAME = "$endState$";
    /** Name of an alternation's split state ({@code $} keeps it apart from element names). */
    static final String ALTERNATION_STATE_NAME = "$anyOf$";
    private static final char DELIM = ':';

    private final Set<String> usedNames = new HashSet<>();
    private final Map<String, CompiledState<E>> stopStates = new HashMap<>();
    private final List<CompiledState<E>> states = new ArrayList<>();
    private final Map<String, CompiledState<E>> originalStateMap = new HashMap<>();
    private final Map<Pattern<E>, Boolean> firstOfLoopMap = new IdentityHashMap<>();
    private final Set<CompiledState<E>> copying = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final AfterMatchSkipStrategy skipStrategy;
    private long windowTime = -1;
    private Pattern<E> currentGroupPattern;
    private MalformedPatternException deferredRejection;
    private Pattern<E> currentPattern;
    private Pattern<E> followingPattern;
    /**
     * Per alternation being compiled: how a plain element heading one of its branches is compiled in
     * the alternation's first round. Per group heading a branch: the contiguity it takes from the
     * alternation. Both stay empty for patterns without alternations.
     */
    private final Map<Pattern<E>, BranchHead<E>> branchHeads = new IdentityHashMap<>();
    private final Map<Pattern<E>, ConsumingStrategy> groupStrategies = new IdentityHashMap<>();
    /** The split states of alternations (see {@link Split}). */
    private final Map<CompiledState<E>, Split<E>> splitStates = new LinkedHashMap<>();

    /**
     * Where an alternation stands, seen by a plain element put in its place: the group whose head it
     * is ({@code group}, null when none, with whether that is the group's first round), the contiguity
     * it has there ({@code strategy}), and the until condition of the enclosing loop, if any.
     */
    private record BranchHead<E>(Pattern<E> group, boolean groupFirstOfLoop, ConsumingStrategy strategy,
            Condition<E> until) {}

    /**
     * A split state's alternation and whether it has a way past the round (an optional round, or a
     * loop's exit). Its edges: that way first, if any, then one PROCEED edge into each branch, last
     * branch first, so that the processor (which explores PROCEED edges from a stack) takes the
     * branches' edges in their order; NOT elements' stop edges would follow.
     */
    private record Split<E>(Pattern<E> alternation, boolean exit) {
        boolean isExit(int edge) {
            return exit && edge == 0;
        }

        boolean isHead(int edge) {
            int first = exit ? 1 : 0;
            return edge >= first && edge < first + alternation.branches().size();
        }
    }

    NfaCompiler(Pattern<E> pattern) {
        this.currentPattern = pattern;
        this.skipStrategy = pattern.skipStrategy();
    }

    List<CompiledState<E>> states() {
        return states;
    }

    long windowTime() {
        return Math.max(0, windowTime);
    }

    AfterMatchSkipStrategy skipStrategy() {
        return skipStrategy;
    }

    void compile() {
        Pattern<E> lastPattern = currentPattern;
        checkNameUniqueness();
        checkSkipStrategy();
        checkAlternations(lastPattern);
        CompiledState<E> sink = createEndingState();
        sink = createMiddleStates(sink);
        createStartState(sink);
        checkSplitStates();
        checkWindowTimes();
        if (lastPattern.consumingStrategy() == ConsumingStrategy.NOT_FOLLOW
                && !hasGapWindow(lastPattern.name())
                && windowTime() == 0) {
            throw new MalformedPatternException("Pattern element '" + lastPattern.name()
                    + "': notFollowedBy as the last element needs a window: add within(...) to the pattern");
        }
        if (deferredRejection != null) {
            throw deferredRejection;
        }
    }

    // ------------------------------------------------------------------ checks

    private boolean hasGapWindow(String stateName) {
        for (CompiledState<E> s : states) {
            if (s.name.equals(stateName) && s.gapWindow > 0) {
                return true;
            }
        }
        return false;
    }

    private void checkWindowTimes() {
        if (windowTime < 0) {
            return;
        }
        for (CompiledState<E> s : states) {
            if (s.gapWindow > windowTime) {
                throw new MalformedPatternException("Pattern element '" + s.elementName + "': its gap window ("
                        + s.gapWindow + " ms) cannot be longer than the pattern's window (" + windowTime + " ms)");
            }
        }
    }

    private void checkSkipStrategy() {
        skipStrategy.element().ifPresent(target -> {
            Pattern<E> p = currentPattern;
            while (p.previous() != null && !p.name().equals(target)) {
                p = p.previous();
            }
            if (!p.name().equals(target)) {
                throw new MalformedPatternException("Skip strategy " + skipStrategy
                        + " names the element '" + target + "', which is not in the pattern (top level)");
            }
        });
    }

    private void checkNameUniqueness() {
        Set<String> seen = new HashSet<>();
        seen.add(ENDING_STATE_NAME);
        for (Pattern<E> p = currentPattern; p != null; p = p.previous()) {
            checkNameUniqueness(p, seen);
        }
    }

    private void checkNameUniqueness(Pattern<E> pattern, Set<String> seen) {
        if (pattern.isGroup()) {
            for (Pattern<E> p = pattern.group(); p != null; p = p.previous()) {
                checkNameUniqueness(p, seen);
            }
        } else if (pattern.isAlternation()) {
            for (Pattern<E> branch : pattern.branches()) {
                for (Pattern<E> p = branch; p != null; p = p.previous()) {
                    checkNameUniqueness(p, seen);
                }
            }
        } else if (!seen.add(pattern.name())) {
            throw new MalformedPatternException("Pattern element '" + pattern.name()
                    + "': duplicate name; element names must be unique");
        }
    }

    /**
     * The rules an alternation adds, on the pattern ending in {@code last} (and every group and
     * branch inside it). Each one keeps "the union of the branches' matches" true.
     */
    private void checkAlternations(Pattern<E> last) {
        for (Pattern<E> p = last; p != null; p = p.previous()) {
            if (p.isGroup()) {
                checkAlternations(p.group());
            } else if (p.isAlternation()) {
                for (Pattern<E> branch : p.branches()) {
                    checkBranch(p, branch);
                    checkAlternations(branch);
                }
            }
        }
    }

    private void checkBranch(Pattern<E> alternation, Pattern<E> branch) {
        // a branch that can pass without an event gives several empty paths through the alternation,
        // which the step function counts once at the end of the pattern and once per path elsewhere
        if (canMatchEmpty(branch)) {
            throw new MalformedPatternException("Pattern element '" + branch.name() + "': the branch of the"
                    + " alternation '" + alternation.name() + "' that ends here can take no event at all;"
                    + " every branch must take one (make the alternation optional instead)");
        }
        // one window for the whole pattern: a window inside one branch would apply to all of them
        Pattern<E> windowed = firstWithWindow(branch);
        if (windowed != null) {
            throw new MalformedPatternException("Pattern element '" + windowed.name() + "': within(...) inside a"
                    + " branch of the alternation '" + alternation.name() + "' is not supported (the window"
                    + " would bound every branch); put it on an element outside the alternation");
        }
        // a run waits in the split state, where no branch's gap window can apply
        Pattern<E> head = firstElement(branch);
        while (head.isGroup()) {
            head = firstElement(head.group());
        }
        if (head.gapWindowMillis() > 0 || head.timesGapMillis() > 0) {
            throw new MalformedPatternException("Pattern element '" + head.name() + "': the first element of a"
                    + " branch of the alternation '" + alternation.name() + "' cannot have a gap window"
                    + " (within(..., PREVIOUS_AND_CURRENT) or a quantifier's gap)");
        }
        // a notFollowedBy acts through the optional elements after it up to the next mandatory one,
        // which would be outside the branch
        for (Pattern<E> p = branch; p != null; p = p.previous()) {
            if (p.consumingStrategy() == ConsumingStrategy.NOT_FOLLOW) {
                throw new MalformedPatternException("Pattern element '" + p.name() + "': notFollowedBy cannot end a"
                        + " branch of the alternation '" + alternation.name() + "' (nor be followed there by"
                        + " optional elements only); put it after the alternation");
            }
            if (!p.isOptional()) {
                break;
            }
        }
    }

    private static <E> Pattern<E> firstElement(Pattern<E> last) {
        Pattern<E> p = last;
        while (p.previous() != null) {
            p = p.previous();
        }
        return p;
    }

    private static <E> Pattern<E> firstWithWindow(Pattern<E> last) {
        for (Pattern<E> p = last; p != null; p = p.previous()) {
            if (p.windowMillis() > 0) {
                return p;
            }
            Pattern<E> inner = null;
            if (p.isGroup()) {
                inner = firstWithWindow(p.group());
            } else if (p.isAlternation()) {
                for (Pattern<E> branch : p.branches()) {
                    inner = inner != null ? inner : firstWithWindow(branch);
                }
            }
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    /** Whether the pattern sequence ending in {@code last} can be passed without taking an event. */
    private static <E> boolean canMatchEmpty(Pattern<E> last) {
        for (Pattern<E> p = last; p != null; p = p.previous()) {
            boolean empty = p.isOptional()
                    || p.consumingStrategy() == ConsumingStrategy.NOT_NEXT
                    || p.consumingStrategy() == ConsumingStrategy.NOT_FOLLOW
                    || (p.isGroup() && canMatchEmpty(p.group()))
                    || (p.isAlternation() && p.branches().stream().anyMatch(NfaCompiler::canMatchEmpty));
            if (!empty) {
                return false;
            }
        }
        return true;
    }

    /**
     * FlinkCEP's step discards a run as soon as any of its PROCEED paths reaches a NOT element's stop
     * state. From a split state such a path would discard the branches along with it: it exists when
     * a NOT element comes right before an alternation (the stop edges reach the split state, but not
     * the branches a run enters from there), or right after one that may take fewer rounds (an
     * optional, range or looping alternation: the path runs past the open round). Both are rejected,
     * as FlinkCEP rejects a NOT element right after an optional one.
     */
    private void checkSplitStates() {
        for (Map.Entry<CompiledState<E>, Split<E>> e : splitStates.entrySet()) {
            checkGapPastRound(e.getKey(), e.getValue());
            Set<CompiledState<E>> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            Deque<CompiledState<E>> todo = new ArrayDeque<>();
            todo.push(e.getKey());
            while (!todo.isEmpty()) {
                CompiledState<E> state = todo.pop();
                for (Transition<E> t : state.transitionList) {
                    if (t.action != Action.PROCEED || !seen.add(t.target)) {
                        continue;
                    }
                    if (t.target.isStop()) {
                        String alternation = e.getValue().alternation().name();
                        throw new MalformedPatternException("Pattern element '" + t.target.elementName + "': "
                                + (state == e.getKey()
                                        ? "a NOT element cannot come right before the alternation '" + alternation
                                                + "' (nor before it with only optional elements in between); put"
                                                + " it into each branch instead"
                                        : "a NOT element cannot come right after the alternation '" + alternation
                                                + "' when it may take fewer rounds (optional, range or looping),"
                                                + " as after an optional element"));
                    }
                    todo.push(t.target);
                }
            }
        }
    }

    /**
     * A partial match waits in the split state of a round it may skip both for the round and for what
     * follows it: the gap window of what follows cannot apply there (the split state has none, as
     * the branches' first states have none), so it is rejected.
     */
    private void checkGapPastRound(CompiledState<E> state, Split<E> split) {
        if (!split.exit()) {
            return;
        }
        CompiledState<E> past = state.transitionList.get(0).target;
        if (!splitStates.containsKey(past) && past.gapWindow > 0) {
            throw new MalformedPatternException("Pattern element '" + past.elementName + "': an element with a gap"
                    + " window cannot come right after the alternation '" + split.alternation().name()
                    + "' when it may take fewer rounds (optional, range or looping)");
        }
    }

    // ------------------------------------------------------------------ structure

    private List<Object[]> currentNotConditions() {
        List<Object[]> notConditions = new ArrayList<>();
        Pattern<E> previousPattern = currentPattern;
        while (previousPattern.previous() != null
                && (previousPattern.previous().isOptional()
                        || previousPattern.previous().consumingStrategy() == ConsumingStrategy.NOT_FOLLOW)) {
            previousPattern = previousPattern.previous();
            if (previousPattern.consumingStrategy() == ConsumingStrategy.NOT_FOLLOW) {
                notConditions.add(new Object[] {takeCondition(previousPattern), previousPattern.name()});
            }
        }
        return notConditions;
    }

    private CompiledState<E> createEndingState() {
        CompiledState<E> end = createState(ENDING_STATE_NAME, Kind.FINAL);
        windowTime = currentPattern.windowMillis();
        return end;
    }

    private CompiledState<E> createMiddleStates(CompiledState<E> sinkState) {
        CompiledState<E> lastSink = sinkState;
        while (currentPattern.previous() != null) {
            if (currentPattern.consumingStrategy() == ConsumingStrategy.NOT_FOLLOW) {
                // NOT elements in the middle become stop edges of their neighbours; only a trailing
                // one (with a window to wait out) needs a state of its own
                if ((currentPattern.gapWindowMillis() > 0 || windowTime() > 0) && lastSink.isFinal()) {
                    CompiledState<E> notFollow = createState(Kind.PENDING, true);
                    Condition<E> notCondition = takeCondition(currentPattern);
                    CompiledState<E> stopState = createStopState(notCondition, currentPattern.name());
                    notFollow.addProceed(stopState, notCondition);
                    notFollow.addIgnore(Conditions.not(notCondition));
                    lastSink = notFollow;
                }
            } else if (currentPattern.consumingStrategy() == ConsumingStrategy.NOT_NEXT) {
                CompiledState<E> notNext = createState(Kind.NORMAL, true);
                Condition<E> notCondition = takeCondition(currentPattern);
                CompiledState<E> stopState = createStopState(notCondition, currentPattern.name());
                if (lastSink.isFinal()) {
                    // an IGNORE, so that reaching the final state needs the next event
                    notNext.addIgnore(lastSink, Conditions.not(notCondition));
                } else {
                    notNext.addProceed(lastSink, Conditions.not(notCondition));
                }
                notNext.addProceed(stopState, notCondition);
                lastSink = notNext;
            } else {
                lastSink = convertPattern(lastSink);
            }
            followingPattern = currentPattern;
            currentPattern = currentPattern.previous();
            long w = currentPattern.windowMillis();
            if (w > 0 && w < (windowTime < 0 ? Long.MAX_VALUE : windowTime)) {
                windowTime = w;
            }
        }
        return lastSink;
    }

    private void createStartState(CompiledState<E> sinkState) {
        CompiledState<E> begin = convertPattern(sinkState);
        begin.start = true;
    }

    private CompiledState<E> convertPattern(CompiledState<E> sinkState) {
        CompiledState<E> lastSink;
        if (currentPattern.isLooping()) {
            setCurrentGroupPatternFirstOfLoop(false);
            CompiledState<E> sink = copyWithoutTransitiveNots(sinkState);
            CompiledState<E> looping = createLooping(sink);
            setCurrentGroupPatternFirstOfLoop(true);
            lastSink = createTimesState(looping, sinkState);
        } else if (currentPattern.isTimes()) {
            lastSink = createTimesState(sinkState, sinkState);
        } else {
            lastSink = createSingletonState(sinkState);
        }
        addStopStates(lastSink);
        return lastSink;
    }

    private CompiledState<E> createState(Kind kind, boolean isTake) {
        CompiledState<E> state = createState(currentPattern.name(), kind);
        if (isTake) {
            if (!currentPattern.timesSet()) {
                if (currentPattern.gapWindowMillis() > 0) {
                    state.gapWindow = currentPattern.gapWindowMillis();
                }
            } else if (state.name.indexOf(DELIM) >= 0 && currentPattern.timesGapMillis() > 0) {
                // as in FlinkCEP, a quantifier's gap applies to the states it unfolds into after the
                // first one created (the one that keeps the plain name)
                state.gapWindow = currentPattern.timesGapMillis();
            }
        }
        return state;
    }

    private CompiledState<E> createState(String name, Kind kind) {
        String base = originalName(name);
        String candidate = name;
        int counter = 0;
        while (usedNames.contains(candidate)) {
            candidate = name + DELIM + counter++;
        }
        usedNames.add(candidate);
        CompiledState<E> state = new CompiledState<>(candidate, base, kind);
        states.add(state);
        return state;
    }

    static String originalName(String internalName) {
        int i = internalName.indexOf(DELIM);
        return i < 0 ? internalName : internalName.substring(0, i);
    }

    private CompiledState<E> createStopState(Condition<E> notCondition, String name) {
        CompiledState<E> stop = stopStates.get(name);
        if (stop == null) {
            stop = createState(name, Kind.STOP);
            stop.addTake(notCondition);
            stopStates.put(name, stop);
        }
        return stop;
    }

    private CompiledState<E> copyWithoutTransitiveNots(CompiledState<E> sinkState) {
        List<Object[]> nots = currentNotConditions();
        if (nots.isEmpty() || !currentPattern.isOptional()) {
            return sinkState;
        }
        if (!copying.add(sinkState)) {
            // the states after an optional element with NOT elements before it are copied along
            // their PROCEED edges; a cycle of those is a quantified group that can repeat without
            // taking any event (FlinkCEP's compiler recurses here until its stack overflows)
            throw new MalformedPatternException("Pattern element '" + currentPattern.name()
                    + "': the pattern after it contains a quantified group that can repeat without taking"
                    + " any event; make at least one of the group's elements mandatory");
        }
        CompiledState<E> copy = createState(sinkState.name, sinkState.kind);
        for (Transition<E> t : sinkState.transitionList) {
            if (t.action == Action.PROCEED) {
                CompiledState<E> target = t.target;
                boolean remove = false;
                if (target.isStop()) {
                    for (Object[] not : nots) {
                        if (target.name.equals(not[1])) {
                            remove = true;
                        }
                    }
                } else {
                    target = copyWithoutTransitiveNots(t.target);
                }
                if (!remove) {
                    copy.addTransition(t.action, target, t.condition);
                }
            } else {
                copy.addTransition(t.action, t.target == t.source ? copy : t.target, t.condition);
            }
        }
        copying.remove(sinkState);
        return copy;
    }

    private CompiledState<E> copy(CompiledState<E> state) {
        CompiledState<E> copy = createState(originalName(state.name), state.kind);
        for (Transition<E> t : state.transitionList) {
            copy.addTransition(t.action, t.target == t.source ? copy : t.target, t.condition);
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private void addStopStates(CompiledState<E> state) {
        for (Object[] not : currentNotConditions()) {
            CompiledState<E> stop = createStopState((Condition<E>) not[0], (String) not[1]);
            state.addProceed(stop, (Condition<E>) not[0]);
        }
    }

    private void addStopStateToLooping(CompiledState<E> loopingState) {
        if (followingPattern != null && followingPattern.consumingStrategy() == ConsumingStrategy.NOT_FOLLOW) {
            Condition<E> notCondition = takeCondition(followingPattern);
            CompiledState<E> stop = createStopState(notCondition, followingPattern.name());
            loopingState.addProceed(stop, notCondition);
        }
    }

    private CompiledState<E> createTimesState(CompiledState<E> sinkState, CompiledState<E> proceedState) {
        CompiledState<E> lastSink = sinkState;
        setCurrentGroupPatternFirstOfLoop(false);
        Condition<E> until = currentPattern.untilCondition();
        Condition<E> innerIgnore = extendWithUntil(innerIgnoreCondition(currentPattern), until, false);
        Condition<E> take = extendWithUntil(takeCondition(currentPattern), until, true);
        int from = currentPattern.timesFrom();
        int to = currentPattern.timesTo();
        if (currentPattern.isGreedy() && from != to) {
            if (until != null) {
                CompiledState<E> sinkCopy = copyEntry(sinkState, false);
                originalStateMap.put(sinkState.name, sinkCopy);
            }
            updateWithGreedyCondition(sinkState, take);
        }
        for (int i = from; i < to; i++) {
            lastSink = createSingletonState(lastSink, proceedState, take, innerIgnore, true);
            addStopStateToLooping(lastSink);
        }
        for (int i = 0; i < from - 1; i++) {
            lastSink = createSingletonState(lastSink, null, take, innerIgnore, false);
            addStopStateToLooping(lastSink);
        }
        setCurrentGroupPatternFirstOfLoop(true);
        return createSingletonState(lastSink, proceedState, take, ignoreCondition(currentPattern),
                currentPattern.isOptional());
    }

    private void setCurrentGroupPatternFirstOfLoop(boolean firstOfLoop) {
        if (currentPattern.isGroup() || currentPattern.isAlternation()) {
            firstOfLoopMap.put(currentPattern, firstOfLoop);
        }
    }

    private boolean isCurrentGroupPatternFirstOfLoop() {
        Boolean b = firstOfLoopMap.get(currentGroupPattern);
        return b == null || b;
    }

    private boolean headOfGroup(Pattern<E> pattern) {
        return currentGroupPattern != null && pattern.previous() == null;
    }

    private boolean isHeadOfOptionalGroupPattern(Pattern<E> pattern) {
        if (!headOfGroup(pattern)) {
            return false;
        }
        if (currentGroupPattern.isAlternation()) {
            // the head stands where the alternation stands: only the head of an optional group
            // needs an ignore state of its own
            BranchHead<E> at = branchHead();
            return at != null && at.group() != null && at.groupFirstOfLoop() && at.group().isOptional();
        }
        return isCurrentGroupPatternFirstOfLoop() && currentGroupPattern.isOptional();
    }

    /**
     * How a plain element heading a branch of the alternation {@link #currentGroupPattern} is compiled
     * in the current round: as in the alternation's place in the first round, as an element with the
     * alternation's inner contiguity in later rounds (null).
     */
    private BranchHead<E> branchHead() {
        return isCurrentGroupPatternFirstOfLoop() ? branchHeads.get(currentGroupPattern) : null;
    }

    /** The contiguity of a group's first round: its own, or the one its alternation hands it. */
    private ConsumingStrategy firstStrategy(Pattern<E> group) {
        ConsumingStrategy s = groupStrategies.get(group);
        return s != null ? s : group.consumingStrategy();
    }

    /** The until condition that the elements directly in {@link #currentGroupPattern} obey, or null. */
    private Condition<E> groupUntil() {
        if (currentGroupPattern == null) {
            return null;
        }
        Condition<E> until = currentGroupPattern.untilCondition();
        if (until == null && currentGroupPattern.isAlternation()) {
            // the branches take the place of the alternation: the enclosing loop's until applies
            BranchHead<E> at = branchHeads.get(currentGroupPattern);
            until = at == null ? null : at.until();
        }
        return until;
    }

    private CompiledState<E> createSingletonState(CompiledState<E> sinkState) {
        return createSingletonState(sinkState, sinkState, takeCondition(currentPattern),
                ignoreCondition(currentPattern), currentPattern.isOptional());
    }

    private CompiledState<E> createSingletonState(
            CompiledState<E> sinkState,
            CompiledState<E> proceedState,
            Condition<E> takeCondition,
            Condition<E> ignoreCondition,
            boolean isOptional) {
        if (currentPattern.isGroup()) {
            return createGroupPatternState(currentPattern, sinkState, proceedState, isOptional);
        }
        if (currentPattern.isAlternation()) {
            return createAlternationState(currentPattern, sinkState, proceedState, isOptional);
        }
        CompiledState<E> singleton = createState(Kind.NORMAL, true);
        // once an event is taken, NOT elements before the optional ones no longer apply
        CompiledState<E> sink = copyWithoutTransitiveNots(sinkState);
        singleton.addTake(sink, takeCondition);
        Condition<E> proceedCondition = trueCondition();
        if (isOptional) {
            if (currentPattern.isGreedy()) {
                Condition<E> until = currentPattern.untilCondition();
                if (until != null) {
                    CompiledState<E> untilTarget = originalStateMap.get(proceedState.name);
                    if (untilTarget == null) {
                        // the loop's sink was copied without the NOT conditions before it, so the
                        // state to leave to when the until condition holds is not the one recorded;
                        // FlinkCEP builds an edge to no state here and fails at run time when the
                        // until condition first holds
                        // (reported after the whole-pattern checks, which FlinkCEP makes first)
                        if (deferredRejection == null) {
                            deferredRejection = new MalformedPatternException("Pattern element '"
                                    + currentPattern.name() + "': an optional greedy looping element with an"
                                    + " until condition cannot follow a notFollowedBy element");
                        }
                    } else {
                        singleton.addProceed(untilTarget, Conditions.and(proceedCondition, until));
                    }
                }
                singleton.addProceed(proceedState, until != null
                        ? Conditions.and(proceedCondition, Conditions.not(until))
                        : proceedCondition);
            } else {
                singleton.addProceed(proceedState, proceedCondition);
            }
        }
        if (ignoreCondition != null) {
            CompiledState<E> ignoreState;
            if (isOptional || isHeadOfOptionalGroupPattern(currentPattern)) {
                ignoreState = createState(Kind.NORMAL, false);
                ignoreState.addTake(sink, takeCondition);
                ignoreState.addIgnore(ignoreCondition);
                addStopStates(ignoreState);
            } else {
                ignoreState = singleton;
            }
            singleton.addIgnore(ignoreState, ignoreCondition);
        }
        return singleton;
    }

    private CompiledState<E> createGroupPatternState(
            Pattern<E> groupPattern, CompiledState<E> sinkState, CompiledState<E> proceedState, boolean isOptional) {
        Condition<E> proceedCondition = trueCondition();
        Pattern<E> oldCurrent = currentPattern;
        Pattern<E> oldFollowing = followingPattern;
        Pattern<E> oldGroup = currentGroupPattern;
        rememberBranchHeadGroup(groupPattern);
        currentGroupPattern = groupPattern;
        currentPattern = groupPattern.group();
        CompiledState<E> lastSink = createMiddleStates(sinkState);
        lastSink = convertPattern(lastSink);
        if (isOptional) {
            lastSink.addProceed(proceedState, proceedCondition);
        }
        currentPattern = oldCurrent;
        followingPattern = oldFollowing;
        currentGroupPattern = oldGroup;
        return lastSink;
    }

    private CompiledState<E> createLoopingGroupPatternState(Pattern<E> groupPattern, CompiledState<E> sinkState) {
        Condition<E> proceedCondition = trueCondition();
        Pattern<E> oldCurrent = currentPattern;
        Pattern<E> oldFollowing = followingPattern;
        Pattern<E> oldGroup = currentGroupPattern;
        CompiledState<E> dummy = createState(Kind.NORMAL, true);
        rememberBranchHeadGroup(groupPattern);
        currentGroupPattern = groupPattern;
        currentPattern = groupPattern.group();
        CompiledState<E> lastSink = createMiddleStates(dummy);
        lastSink = convertPattern(lastSink);
        lastSink.addProceed(sinkState, proceedCondition);
        dummy.addProceed(lastSink, proceedCondition);
        currentPattern = oldCurrent;
        followingPattern = oldFollowing;
        currentGroupPattern = oldGroup;
        return lastSink;
    }

    /**
     * A group heading a branch stands where the alternation stands: its first round takes the
     * contiguity the alternation has there (FlinkCEP's rule for a group heading a group then applies
     * inside it, as if the branch were written in the alternation's place).
     */
    private void rememberBranchHeadGroup(Pattern<E> groupPattern) {
        if (headOfGroup(groupPattern) && currentGroupPattern.isAlternation()) {
            BranchHead<E> at = branchHead();
            groupStrategies.put(groupPattern, at != null ? at.strategy() : currentGroupPattern.innerConsumingStrategy());
        }
    }

    /**
     * One round of an alternation: a split state with a PROCEED edge into each branch, every branch
     * compiled into {@code sinkState}, and for an optional round a PROCEED edge to {@code proceedState}.
     */
    private CompiledState<E> createAlternationState(
            Pattern<E> alternation, CompiledState<E> sinkState, CompiledState<E> proceedState, boolean isOptional) {
        CompiledState<E> split = createState(ALTERNATION_STATE_NAME, Kind.NORMAL);
        splitStates.put(split, new Split<>(alternation, isOptional));
        List<CompiledState<E>> heads = compileBranches(alternation, split, sinkState, null);
        if (isOptional) {
            split.addProceed(proceedState, trueCondition());
        }
        addBranchEdges(split, heads);
        return split;
    }

    /** The repeating round of a looping alternation: its branches lead back to its split state. */
    private CompiledState<E> createLoopingAlternationState(Pattern<E> alternation, CompiledState<E> sinkState) {
        CompiledState<E> split = createState(ALTERNATION_STATE_NAME, Kind.NORMAL);
        splitStates.put(split, new Split<>(alternation, true));
        Condition<E> proceedCondition = trueCondition();
        List<CompiledState<E>> heads = compileBranches(alternation, split, split, sinkState);
        split.addProceed(sinkState, proceedCondition);
        addBranchEdges(split, heads);
        return split;
    }

    private static <E> void addBranchEdges(CompiledState<E> split, List<CompiledState<E>> heads) {
        for (int i = heads.size() - 1; i >= 0; i--) {
            split.addProceed(heads.get(i), Conditions.alwaysTrue());
        }
    }

    /**
     * Compiles the branches of {@code alternation} into {@code sinkState} and returns their first
     * states, in order; {@code loopExit} is where a looping alternation's split will also lead (its
     * sink is the split itself), else null.
     */
    private List<CompiledState<E>> compileBranches(
            Pattern<E> alternation, CompiledState<E> split, CompiledState<E> sinkState, CompiledState<E> loopExit) {
        if (alternation.isTimes() || alternation.isLooping()) {
            if (followingPattern != null && followingPattern.consumingStrategy() == ConsumingStrategy.NOT_FOLLOW) {
                // FlinkCEP's quantifiers put the following NOT element's stop edges on every round
                // (addStopStateToLooping), which a round that chose a branch would escape
                throw new MalformedPatternException("Pattern element '" + followingPattern.name()
                        + "': notFollowedBy cannot follow the quantified alternation '" + alternation.name()
                        + "'; put it inside the branches, or quantify a group around it");
            }
        }
        List<CompiledState<E>> heads = new ArrayList<>(alternation.branches().size());
        Pattern<E> oldCurrent = currentPattern;
        Pattern<E> oldFollowing = followingPattern;
        Pattern<E> oldGroup = currentGroupPattern;
        branchHeads.put(alternation, placeOf(alternation));
        currentGroupPattern = alternation;
        for (Pattern<E> branch : alternation.branches()) {
            if (endsWithNotNext(branch) && !sinkState.isFinal()
                    && (sinkState == split ? loopExit.isFinal() || endsPattern(loopExit) : endsPattern(sinkState))) {
                // FlinkCEP's notNext waits for the next event only when the final state follows it
                // directly; a round that may be the last one hides that
                throw new MalformedPatternException("Pattern element '" + lastOf(branch).name() + "': notNext"
                        + " cannot end a branch of the alternation '" + alternation.name() + "' when its round"
                        + " may end the pattern (an optional, range or looping alternation); put it after the"
                        + " alternation");
            }
            CompiledState<E> branchSink = sinkState;
            if (endsGreedy(branch)) {
                // a greedy element rewrites the conditions of the state after it: that must not
                // reach the other branches
                if (sinkState == split) {
                    throw new MalformedPatternException("Pattern element '" + branch.name() + "': a branch of the"
                            + " looping alternation '" + alternation.name() + "' cannot end with a greedy element");
                }
                branchSink = copyEntry(sinkState, true);
            }
            currentPattern = branch;
            followingPattern = oldFollowing;
            CompiledState<E> head = createMiddleStates(branchSink);
            heads.add(convertPattern(head));
        }
        currentPattern = oldCurrent;
        followingPattern = oldFollowing;
        currentGroupPattern = oldGroup;
        return heads;
    }

    /** Whether a notNext element ends the sequence ending in {@code last} (groups included). */
    private static <E> boolean endsWithNotNext(Pattern<E> last) {
        return last.consumingStrategy() == ConsumingStrategy.NOT_NEXT
                || (last.isGroup() && endsWithNotNext(last.group()));
    }

    private static <E> Pattern<E> lastOf(Pattern<E> last) {
        return last.isGroup() ? lastOf(last.group()) : last;
    }

    /** Whether a split state leads, past optional rounds only, to the final state. */
    private boolean endsPattern(CompiledState<E> state) {
        Split<E> split = splitStates.get(state);
        if (split == null || !split.exit()) {
            return false;
        }
        CompiledState<E> target = state.transitionList.get(0).target;
        return target.isFinal() || endsPattern(target);
    }

    /** Whether a greedy element ends the sequence ending in {@code last} (and so rewrites its sink). */
    private static <E> boolean endsGreedy(Pattern<E> last) {
        return last.isGreedy() || (last.isGroup() && endsGreedy(last.group()));
    }

    /** Where {@code alternation} (the current pattern) stands, as seen by an element put in its place. */
    private BranchHead<E> placeOf(Pattern<E> alternation) {
        Condition<E> until = alternation.untilCondition() != null ? null : groupUntil();
        if (!headOfGroup(alternation)) {
            return new BranchHead<>(null, false, alternation.consumingStrategy(), until);
        }
        if (currentGroupPattern.isAlternation()) {
            // heading a branch: in that alternation's place in its first round, else after its round
            BranchHead<E> outer = branchHead();
            return outer != null
                    ? new BranchHead<>(outer.group(), outer.groupFirstOfLoop(), outer.strategy(), until)
                    : new BranchHead<>(null, false, currentGroupPattern.innerConsumingStrategy(), until);
        }
        return new BranchHead<>(currentGroupPattern, isCurrentGroupPatternFirstOfLoop(),
                alternation.consumingStrategy(), until);
    }

    private CompiledState<E> createLooping(CompiledState<E> sinkState) {
        if (currentPattern.isGroup()) {
            return createLoopingGroupPatternState(currentPattern, sinkState);
        }
        if (currentPattern.isAlternation()) {
            return createLoopingAlternationState(currentPattern, sinkState);
        }
        Condition<E> until = currentPattern.untilCondition();
        Condition<E> ignore = extendWithUntil(innerIgnoreCondition(currentPattern), until, false);
        Condition<E> take = extendWithUntil(takeCondition(currentPattern), until, true);
        Condition<E> proceedCondition = trueCondition();
        CompiledState<E> looping = createState(Kind.NORMAL, true);
        if (currentPattern.isGreedy()) {
            if (until != null) {
                CompiledState<E> sinkCopy = copyEntry(sinkState, false);
                looping.addProceed(sinkCopy, Conditions.and(proceedCondition, until));
                originalStateMap.put(sinkState.name, sinkCopy);
            }
            looping.addProceed(sinkState, until != null
                    ? Conditions.and(proceedCondition, Conditions.not(until))
                    : proceedCondition);
            updateWithGreedyCondition(sinkState, takeCondition(currentPattern));
        } else {
            looping.addProceed(sinkState, proceedCondition);
        }
        looping.addTake(take);
        addStopStateToLooping(looping);
        if (ignore != null) {
            CompiledState<E> ignoreState = createState(Kind.NORMAL, false);
            ignoreState.addTake(looping, take);
            ignoreState.addIgnore(ignore);
            looping.addIgnore(ignoreState, ignore);
            addStopStateToLooping(ignoreState);
        }
        return looping;
    }

    // ------------------------------------------------------------------ conditions

    private Condition<E> extendWithUntil(Condition<E> condition, Condition<E> until, boolean isTake) {
        if (until != null && condition != null) {
            return Conditions.and(Conditions.not(until), condition);
        } else if (until != null && isTake) {
            return Conditions.not(until);
        }
        return condition;
    }

    private Condition<E> strategyIgnoreCondition(ConsumingStrategy strategy, Pattern<E> pattern) {
        Condition<E> ignore;
        switch (strategy) {
            case SKIP_TILL_NEXT -> ignore = Conditions.not(patternCondition(pattern));
            case SKIP_TILL_ANY -> ignore = Conditions.alwaysTrue();
            default -> ignore = null;
        }
        Condition<E> until = groupUntil();
        if (until != null) {
            ignore = extendWithUntil(ignore, until, false);
        }
        return ignore;
    }

    private Condition<E> innerIgnoreCondition(Pattern<E> pattern) {
        ConsumingStrategy strategy = pattern.innerConsumingStrategy();
        if (headOfGroup(pattern)) {
            if (currentGroupPattern.isAlternation()) {
                // FlinkCEP's rule for the head of a group, if the alternation heads one
                BranchHead<E> at = branchHead();
                if (at != null && at.group() != null) {
                    strategy = at.group().innerConsumingStrategy();
                }
            } else {
                strategy = currentGroupPattern.innerConsumingStrategy();
            }
        }
        return strategyIgnoreCondition(strategy, pattern);
    }

    private Condition<E> ignoreCondition(Pattern<E> pattern) {
        ConsumingStrategy strategy = pattern.consumingStrategy();
        if (headOfGroup(pattern)) {
            if (currentGroupPattern.isAlternation()) {
                BranchHead<E> at = branchHead();
                if (at == null) {
                    strategy = currentGroupPattern.innerConsumingStrategy();
                } else if (at.group() == null) {
                    strategy = at.strategy();
                } else {
                    strategy = at.groupFirstOfLoop() ? firstStrategy(at.group()) : at.group().innerConsumingStrategy();
                }
            } else {
                strategy = isCurrentGroupPatternFirstOfLoop()
                        ? firstStrategy(currentGroupPattern)
                        : currentGroupPattern.innerConsumingStrategy();
            }
        }
        return strategyIgnoreCondition(strategy, pattern);
    }

    private static <E> Condition<E> patternCondition(Pattern<E> pattern) {
        return pattern.isGroup() || pattern.isAlternation()
                ? Conditions.alwaysTrue()
                : Conditions.orTrue(pattern.condition());
    }

    private Condition<E> takeCondition(Pattern<E> pattern) {
        Condition<E> take = patternCondition(pattern);
        Condition<E> until = groupUntil();
        if (until != null) {
            take = extendWithUntil(take, until, true);
        }
        return take;
    }

    private Condition<E> trueCondition() {
        Condition<E> t = Conditions.alwaysTrue();
        Condition<E> until = groupUntil();
        if (until != null) {
            t = extendWithUntil(t, until, true);
        }
        return t;
    }

    private void updateWithGreedyCondition(CompiledState<E> state, Condition<E> takeCondition) {
        Split<E> split = splitStates.get(state);
        if (split != null) {
            restrictBranchEntries(state, split, takeCondition);
            return;
        }
        for (Transition<E> t : state.transitionList) {
            t.condition = Conditions.and(Conditions.orTrue(t.condition), Conditions.not(takeCondition));
        }
    }

    /**
     * A greedy loop restricts the state after it; after an alternation, that is the first state of
     * each branch (the split state itself is not restricted: a run enters a branch from it, by an
     * ignored event too, and stays there). An optional alternation, or an optional round of one,
     * right after a greedy loop is rejected, as FlinkCEP rejects an optional element there.
     */
    private void restrictBranchEntries(CompiledState<E> state, Split<E> split, Condition<E> takeCondition) {
        if (split.exit()) {
            throw new MalformedPatternException("Pattern element '" + currentPattern.name() + "': a greedy element"
                    + " cannot be followed by an optional alternation, nor by an optional round of one (here '"
                    + split.alternation().name() + "'), as it cannot be followed by an optional element");
        }
        List<Transition<E>> transitions = state.transitionList;
        for (int i = 0; i < transitions.size(); i++) {
            if (split.isHead(i)) {
                updateWithGreedyCondition(transitions.get(i).target, takeCondition);
            }
        }
    }

    /**
     * A copy of {@code state} that a greedy loop can restrict without touching the original: a plain
     * state is copied ({@link #copy}), a split state together with the states its PROCEED edges enter
     * (recursively through nested splits). {@code keepGap} also copies the gap window.
     */
    private CompiledState<E> copyEntry(CompiledState<E> state, boolean keepGap) {
        Split<E> split = splitStates.get(state);
        if (split == null) {
            CompiledState<E> copy = copy(state);
            if (keepGap) {
                copy.gapWindow = state.gapWindow;
            }
            return copy;
        }
        CompiledState<E> copy = createState(ALTERNATION_STATE_NAME, state.kind);
        splitStates.put(copy, split);
        for (Transition<E> t : state.transitionList) {
            CompiledState<E> target = t.action == Action.PROCEED && !t.target.isStop()
                    ? copyEntry(t.target, keepGap)
                    : t.target;
            copy.addTransition(t.action, target, t.condition);
        }
        return copy;
    }

    /** Every state reachable from the start state, for diagnostics. */
    static <E> List<CompiledState<E>> reachable(CompiledState<E> start) {
        List<CompiledState<E>> out = new ArrayList<>();
        Set<CompiledState<E>> seen = new HashSet<>();
        Deque<CompiledState<E>> todo = new ArrayDeque<>();
        todo.push(start);
        while (!todo.isEmpty()) {
            CompiledState<E> s = todo.pop();
            if (seen.add(s)) {
                out.add(s);
                for (Transition<E> t : s.transitionList) {
                    todo.push(t.target);
                }
            }
        }
        return out;
    }
}
