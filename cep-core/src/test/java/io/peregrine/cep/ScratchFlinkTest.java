package io.peregrine.cep;

import static io.peregrine.cep.CepTestKit.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScratchFlinkTest {
    static void cmp(String label, Pattern<Ev> p, String spec) {
        Result f, o;
        try { f = flink(p, spec); } catch (Exception e) { f = new Result(java.util.List.of("EXC " + e), java.util.List.of()); }
        try { o = run(p, spec); } catch (Exception e) { o = new Result(java.util.List.of("EXC " + e), java.util.List.of()); }
        System.out.println((f.equals(o) ? "SAME " : "DIFF ") + label + "\n   flink " + f + "\n   ours  " + o);
    }
    static Pattern<Ev> w(Pattern<Ev> p, String prefix) { return p.where(named(prefix)); }
    static Duration ms(long m) { return Duration.ofMillis(m); }
    @Test
    void scratch() {
        String loop = "a b1 d1 b2 d2 b3 c";
        cmp("next", w(begin("a").next("b"), "b"), "a c b1 b2");
        cmp("fb", w(begin("a").followedBy("b"), "b"), "a c b1 b2");
        cmp("loop fb b+ fb c", w(w(begin("a").followedBy("b"), "b").oneOrMore().followedBy("c"), "c"), loop);
        cmp("loop fb b+ consec fb c", w(w(begin("a").followedBy("b"), "b").oneOrMore().consecutive().followedBy("c"), "c"), loop);
        cmp("loop fb b+ comb fb c", w(w(begin("a").followedBy("b"), "b").oneOrMore().allowCombinations().followedBy("c"), "c"), loop);
        cmp("loop fba b+ fb c", w(w(begin("a").followedByAny("b"), "b").oneOrMore().followedBy("c"), "c"), loop);
        cmp("loop fba b+ consec fb c", w(w(begin("a").followedByAny("b"), "b").oneOrMore().consecutive().followedBy("c"), "c"), loop);
        cmp("loop fba b+ comb fb c", w(w(begin("a").followedByAny("b"), "b").oneOrMore().allowCombinations().followedBy("c"), "c"), loop);
        cmp("docs consec C A+ B", w(w(begin("c").followedBy("a"), "a").oneOrMore().consecutive().followedBy("b"), "b"), "c d a1 a2 a3 d a4 b");
        cmp("docs relaxed C A+ B", w(w(begin("c").followedBy("a"), "a").oneOrMore().followedBy("b"), "b"), "c d a1 a2 a3 d a4 b");
        cmp("docs comb C A+ B", w(w(begin("c").followedBy("a"), "a").oneOrMore().allowCombinations().followedBy("b"), "b"), "c d a1 a2 a3 d a4 b");
        for (AfterMatchSkipStrategy s : new AfterMatchSkipStrategy[] {AfterMatchSkipStrategy.noSkip(), AfterMatchSkipStrategy.skipToNext(), AfterMatchSkipStrategy.skipPastLastEvent(), AfterMatchSkipStrategy.skipToFirst("b"), AfterMatchSkipStrategy.skipToLast("b")}) {
            cmp("skip b+ next c " + s, w(begin("b", s).oneOrMore().next("c"), "c"), "b1 b2 b3 c");
            cmp("skip b+ fb c " + s, w(begin("b", s).oneOrMore().followedBy("c"), "c"), "b1 b2 b3 c");
            cmp("skip a b+ " + s, w(begin("a", s).next("b"), "b").oneOrMore(), "a b1 b2 b3");
            cmp("skip a fb b+ " + s, w(begin("a", s).followedBy("b"), "b").oneOrMore(), "a b1 b2 b3");
        }
        for (AfterMatchSkipStrategy s : new AfterMatchSkipStrategy[] {AfterMatchSkipStrategy.noSkip(), AfterMatchSkipStrategy.skipToFirst("c"), AfterMatchSkipStrategy.skipToLast("c")}) {
            Pattern<Ev> p = Pattern.<Ev>begin("x", s).where(named("a")).or(named("b")).or(named("c"))
                .next("y").where(named("b")).or(named("c"))
                .next("c").where(named("c")).oneOrMore().greedy()
                .next("d").where(named("d"));
            cmp("abc " + s, p, "a b c1 c2 c3 d");
            Pattern<Ev> p2 = Pattern.<Ev>begin("x", s).where(named("a")).or(named("b")).or(named("c"))
                .followedBy("y").where(named("b")).or(named("c"))
                .followedBy("c").where(named("c")).oneOrMore().greedy()
                .followedBy("d").where(named("d"));
            cmp("abc fb " + s, p2, "a b c1 c2 c3 d");
        }
        cmp("notNext mid", w(w(begin("a").notNext("x"), "x").followedBy("b"), "b"), "a x b a2 c b2");
        cmp("notNext last", w(begin("a").notNext("x"), "x"), "a1 x a2 c a3");
        cmp("notFollowedBy mid", w(w(begin("a").notFollowedBy("x"), "x").followedBy("b"), "b"), "a1 c x b1 a2 c b2");
        cmp("notFollowedBy last within", w(begin("a").notFollowedBy("x"), "x").within(ms(5)), "a1 c a2@4 x@6 a3@20");
        cmp("times2", w(begin("a").followedBy("b"), "b").times(2), "a b1 c b2 b3");
        cmp("times2-3", w(begin("a").followedBy("b"), "b").times(2, 3).followedBy("c").where(named("c")), "a b1 b2 b3 b4 c");
        cmp("times0-2", w(begin("a").followedBy("b"), "b").times(0, 2).followedBy("c").where(named("c")), "a b1 b2 c");
        cmp("timesOrMore2", w(begin("a").followedBy("b"), "b").timesOrMore(2).followedBy("c").where(named("c")), "a b1 b2 b3 c");
        cmp("optional", w(begin("a").followedBy("b"), "b").optional().followedBy("c").where(named("c")), "a b1 c");
        cmp("greedy", w(begin("a").followedBy("b"), "b").oneOrMore().greedy().followedBy("c").where(named("c")), "a b1 b2 c");
        cmp("greedy overlap", begin("a").followedBy("b").where(e -> e.value() > 0).oneOrMore().greedy().followedBy("c").where(e -> e.value() > 5), "a b1:1 b2:6 b3:7 c:2");
        cmp("until", w(begin("a").followedBy("b"), "b").oneOrMore().until(named("x")).followedBy("c").where(named("c")), "a b1 b2 x b3 c");
        cmp("until fbany", w(begin("a").followedBy("b"), "b").oneOrMore().until(named("x")).followedByAny("c").where(named("c")), "a b1 b2 x c b3 c2");
        cmp("or", begin("a").followedBy("b").where(named("b")).or(named("c")), "a x c b");
        cmp("where and", begin("a").followedBy("b").where(named("b")).where(e -> e.value() > 1), "a b1:1 b2:2");
        cmp("group times", begin("s").followedBy(Pattern.<Ev>begin("x").where(named("x")).followedBy("y").where(named("y"))).times(2).followedBy("e").where(named("e")), "s x1 y1 x2 y2 e");
        cmp("group oneOrMore", begin("s").followedBy(Pattern.<Ev>begin("x").where(named("x")).next("y").where(named("y"))).oneOrMore().followedBy("e").where(named("e")), "s x1 y1 x2 y2 e");
        cmp("group optional", begin("s").followedBy(Pattern.<Ev>begin("x").where(named("x")).next("y").where(named("y"))).optional().followedBy("e").where(named("e")), "s x1 y1 e");
        cmp("begin group", Pattern.<Ev>begin(Pattern.<Ev>begin("x").where(named("x")).next("y").where(named("y"))).times(2).next("e").where(named("e")), "x1 y1 x2 y2 e");
        cmp("within", w(begin("a").followedBy("b"), "b").within(ms(10)), "a1@1 b1@11 a2@20 b2@29");
        cmp("within timeout", w(begin("a").followedBy("b"), "b").within(ms(10)), "a1@1 a2@5 c@12 b@14");
        cmp("gap", w(begin("a").followedBy("b"), "b").within(ms(5), WithinType.PREVIOUS_AND_CURRENT).followedBy("c").where(named("c")), "a1@1 b1@6 a2@10 b2@14 c@30");
        cmp("gap2", w(begin("a").followedBy("b"), "b").followedBy("c").where(named("c")).within(ms(5), WithinType.PREVIOUS_AND_CURRENT), "a1@1 b1@6 c1@10 a2@20 b2@21 c2@26 a3@30 b3@31 c3@35");
        cmp("times gap", w(begin("a").followedBy("b"), "b").times(3, ms(5)), "a@1 b1@2 b2@6 b3@12 b4@14 b5@18");
        cmp("oneOrMore gap", w(begin("a").followedBy("b"), "b").oneOrMore(ms(5)).followedBy("c").where(named("c")), "a@1 b1@2 b2@6 b3@12 c@14");
    }
}
