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
 */
final class NfaCompiler<E> {

    static final String ENDING_STATE_NAME = "$endState$";
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
        CompiledState<E> sink = createEndingState();
        sink = createMiddleStates(sink);
        createStartState(sink);
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
        } else if (!seen.add(pattern.name())) {
            throw new MalformedPatternException("Pattern element '" + pattern.name()
                    + "': duplicate name; element names must be unique");
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
                CompiledState<E> sinkCopy = copy(sinkState);
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
        if (currentPattern.isGroup()) {
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
        return headOfGroup(pattern) && isCurrentGroupPatternFirstOfLoop() && currentGroupPattern.isOptional();
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

    private CompiledState<E> createLooping(CompiledState<E> sinkState) {
        if (currentPattern.isGroup()) {
            return createLoopingGroupPatternState(currentPattern, sinkState);
        }
        Condition<E> until = currentPattern.untilCondition();
        Condition<E> ignore = extendWithUntil(innerIgnoreCondition(currentPattern), until, false);
        Condition<E> take = extendWithUntil(takeCondition(currentPattern), until, true);
        Condition<E> proceedCondition = trueCondition();
        CompiledState<E> looping = createState(Kind.NORMAL, true);
        if (currentPattern.isGreedy()) {
            if (until != null) {
                CompiledState<E> sinkCopy = copy(sinkState);
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
        if (currentGroupPattern != null && currentGroupPattern.untilCondition() != null) {
            ignore = extendWithUntil(ignore, currentGroupPattern.untilCondition(), false);
        }
        return ignore;
    }

    private Condition<E> innerIgnoreCondition(Pattern<E> pattern) {
        ConsumingStrategy strategy = pattern.innerConsumingStrategy();
        if (headOfGroup(pattern)) {
            strategy = currentGroupPattern.innerConsumingStrategy();
        }
        return strategyIgnoreCondition(strategy, pattern);
    }

    private Condition<E> ignoreCondition(Pattern<E> pattern) {
        ConsumingStrategy strategy = pattern.consumingStrategy();
        if (headOfGroup(pattern)) {
            strategy = isCurrentGroupPatternFirstOfLoop()
                    ? currentGroupPattern.consumingStrategy()
                    : currentGroupPattern.innerConsumingStrategy();
        }
        return strategyIgnoreCondition(strategy, pattern);
    }

    private static <E> Condition<E> patternCondition(Pattern<E> pattern) {
        return pattern.isGroup() ? Conditions.alwaysTrue() : Conditions.orTrue(pattern.condition());
    }

    private Condition<E> takeCondition(Pattern<E> pattern) {
        Condition<E> take = patternCondition(pattern);
        if (currentGroupPattern != null && currentGroupPattern.untilCondition() != null) {
            take = extendWithUntil(take, currentGroupPattern.untilCondition(), true);
        }
        return take;
    }

    private Condition<E> trueCondition() {
        Condition<E> t = Conditions.alwaysTrue();
        if (currentGroupPattern != null && currentGroupPattern.untilCondition() != null) {
            t = extendWithUntil(t, currentGroupPattern.untilCondition(), true);
        }
        return t;
    }

    private void updateWithGreedyCondition(CompiledState<E> state, Condition<E> takeCondition) {
        for (Transition<E> t : state.transitionList) {
            t.condition = Conditions.and(Conditions.orTrue(t.condition), Conditions.not(takeCondition));
        }
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
