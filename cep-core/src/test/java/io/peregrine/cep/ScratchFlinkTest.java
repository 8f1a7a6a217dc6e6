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
        cmp("greedy", begin("a").followedBy("b").where(e -> e.value() > 0).oneOrMore().greedy().followedBy("c").where(named("c")), "a b1:1 c1:2 b3:3 c2:0");
        cmp("nongreedy", begin("a").followedBy("b").where(e -> e.value() > 0).oneOrMore().followedBy("c").where(named("c")), "a b1:1 c1:2 b3:3 c2:0");
        cmp("greedy times", begin("a").next("b").where(named("b")).times(1, 3).greedy().followedBy("c").where(named("b")).or(named("c")), "a b1 b2 c");
        cmp("nongreedy times", begin("a").next("b").where(named("b")).times(1, 3).followedBy("c").where(named("b")).or(named("c")), "a b1 b2 c");
    }
}
