package io.peregrine.dsl.compile;

import java.lang.reflect.Constructor;
import java.util.function.Function;
import org.codehaus.commons.compiler.CompileException;
import org.codehaus.janino.SimpleCompiler;

/** Compiles generated sources to bytecode in memory and instantiates the classes. */
final class Janino {

    private Janino() {}

    static ClassLoader compile(String source) {
        if (Boolean.getBoolean("peregrine.dsl.dumpCode")) {
            System.err.println(numbered(source));
        }
        SimpleCompiler compiler = new SimpleCompiler();
        compiler.setParentClassLoader(Janino.class.getClassLoader());
        try {
            compiler.cook(source);
        } catch (CompileException e) {
            // generated code that does not compile is a bug of ours, not of the program
            throw new IllegalStateException("generated code does not compile: " + e.getMessage() + "\n" + numbered(source), e);
        }
        return compiler.getClassLoader();
    }

    @SuppressWarnings("unchecked")
    static <T> T instantiate(ClassLoader loader, JavaClass clazz, Function<Object, Object> resolve) {
        Object[] constants = new Object[clazz.constants.size()];
        for (int i = 0; i < constants.length; i++) {
            constants[i] = resolve.apply(clazz.constants.get(i));
        }
        try {
            Constructor<?> c = loader.loadClass(clazz.name).getDeclaredConstructor(Object[].class);
            c.setAccessible(true);
            return (T) c.newInstance((Object) constants);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate generated class " + clazz.name, e);
        }
    }

    private static String numbered(String source) {
        StringBuilder sb = new StringBuilder();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            sb.append(String.format("%4d  ", i + 1)).append(lines[i]).append('\n');
        }
        return sb.toString();
    }
}
