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
        Pattern<Ev> p = begin("a").followedBy("b").where(named("b")).times(3, java.time.Duration.ofMillis(5));
        for (String in : new String[] {"a@1 b1@7 b2@8 b3@9", "a@1 b1@2 b2@8 b3@9", "a@1 b1@2 b2@3 b3@20", "a@1 b1@6 b2@8 b3@9"}) cmp("times gap " + in, p, in);
        Pattern<Ev> q = begin("a").followedBy("b").where(named("b")).times(2, 3, java.time.Duration.ofMillis(5)).followedBy("c").where(named("c"));
        for (String in : new String[] {"a@1 b1@7 b2@8 b3@9 c@10", "a@1 b1@2 b2@8 b3@9 c@10", "a@1 b1@2 b2@3 b3@20 c@21"}) cmp("times23 gap " + in, q, in);
    }
}
