package io.ergon.node.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's one-shot delimited continuations ({@code jdk.internal.vm.Continuation}, what virtual threads are built
 * on), so that a process that waits in a receive on a worker gives the worker back instead of parking it.
 *
 * <p>A worker runs each activation inside a continuation of its own ({@link #create}, about 20 ns when it never
 * suspends). A receive that finds nothing suspends it ({@link #suspend}, ~50 ns) and the worker goes on with the
 * next process on the same thread; the delivery that answers the receive queues the process again, and whichever
 * worker takes it resumes the continuation ({@link #run}, ~50 ns). A virtual thread's park and unpark, which this
 * replaces, costs several times that and needs a second worker to run the process that will answer.
 *
 * <p>The class is not exported by {@code java.base}; the same {@code --add-opens java.base/java.lang} that gives
 * Ergon its own carriers lets it export the package to itself ({@code Module.implAddExports}, what
 * {@code --add-exports} does). Without it, or with {@code -Dergon.continuations=false}, {@link #AVAILABLE} is false and a
 * waiting process parks its worker's virtual thread as before.
 */
final class Continuations {
    private static final Logger LOG = LoggerFactory.getLogger(Continuations.class);
    private static final MethodHandle NEW;
    private static final MethodHandle RUN;
    private static final MethodHandle IS_DONE;
    private static final MethodHandle YIELD;
    private static final Object SCOPE;
    /** Whether continuations can be used in this JVM. */
    static final boolean AVAILABLE;

    static {
        MethodHandle create = null;
        MethodHandle run = null;
        MethodHandle isDone = null;
        MethodHandle yield = null;
        Object scope = null;
        if (!"false".equals(System.getProperty("ergon.continuations"))) {
            try {
                // java.lang being open to Ergon lets it export jdk.internal.vm to itself, as --add-exports would
                java.lang.reflect.Method addExports =
                        Module.class.getDeclaredMethod("implAddExports", String.class, Module.class);
                addExports.setAccessible(true);
                addExports.invoke(Object.class.getModule(), "jdk.internal.vm", Continuations.class.getModule());
                MethodHandles.Lookup base = MethodHandles.lookup();
                Class<?> cont = Class.forName("jdk.internal.vm.Continuation");
                Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
                scope = base.findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
                        .invoke("ergon-activation");
                Class<?> quiet = base.defineClass(QuietContinuationClass.bytes());
                create = base.findConstructor(quiet, MethodType.methodType(void.class, scopeClass, Runnable.class))
                        .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
                run = base.findVirtual(cont, "run", MethodType.methodType(void.class))
                        .asType(MethodType.methodType(void.class, Object.class));
                isDone = base.findVirtual(cont, "isDone", MethodType.methodType(boolean.class))
                        .asType(MethodType.methodType(boolean.class, Object.class));
                yield = base.findStatic(cont, "yield", MethodType.methodType(boolean.class, scopeClass))
                        .asType(MethodType.methodType(boolean.class, Object.class));
                selfTest(create, run, isDone, yield, scope);
            } catch (Throwable e) {
                LOG.debug("continuations unavailable, a waiting process parks its worker: {}", e.toString());
                create = null;
            }
        }
        AVAILABLE = create != null;
        NEW = create;
        RUN = run;
        IS_DONE = isDone;
        YIELD = yield;
        SCOPE = scope;
    }

    private Continuations() {
    }

    /**
     * The class file of {@code io.ergon.node.internal.QuietContinuation}, a {@code Continuation} whose
     * {@code onPinned} does nothing instead of throwing. The JDK calls it on the innermost continuation when the
     * thread cannot yield: both for Ergon's own suspension (which then returns false and parks instead) and when the
     * worker's virtual thread parks while pinned (a lock taken inside the JDK's own unpark, a class initialiser that
     * waits), where the thread must then simply block its carrier, as a plain virtual thread does. It cannot be
     * compiled as source: {@code javac --release} refuses access to {@code java.base}'s internal packages.
     */
    static final class QuietContinuationClass {
        private QuietContinuationClass() {
        }

        static byte[] bytes() throws java.io.IOException {
            java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
            java.io.DataOutputStream out = new java.io.DataOutputStream(buffer);
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(65); // Java 21's class file version
            String[] utf8 = {
                "io/ergon/node/internal/QuietContinuation",             // 1
                null,                                                    // 2: class #1
                "jdk/internal/vm/Continuation",                          // 3
                null,                                                    // 4: class #3
                "<init>",                                                // 5
                "(Ljdk/internal/vm/ContinuationScope;Ljava/lang/Runnable;)V", // 6
                null,                                                    // 7: name and type #5 #6
                null,                                                    // 8: method #4 #7
                "onPinned",                                              // 9
                "(Ljdk/internal/vm/Continuation$Pinned;)V",             // 10
                "Code",                                                  // 11
            };
            out.writeShort(utf8.length + 1);
            for (int i = 1; i <= utf8.length; i++) {
                switch (i) {
                    case 2 -> classEntry(out, 1);
                    case 4 -> classEntry(out, 3);
                    case 7 -> {
                        out.writeByte(12); // CONSTANT_NameAndType
                        out.writeShort(5);
                        out.writeShort(6);
                    }
                    case 8 -> {
                        out.writeByte(10); // CONSTANT_Methodref
                        out.writeShort(4);
                        out.writeShort(7);
                    }
                    default -> {
                        out.writeByte(1); // CONSTANT_Utf8
                        out.writeUTF(utf8[i - 1]);
                    }
                }
            }
            out.writeShort(0x0030); // final, super
            out.writeShort(2);      // this class
            out.writeShort(4);      // super class
            out.writeShort(0);      // interfaces
            out.writeShort(0);      // fields
            out.writeShort(2);      // methods
            // public QuietContinuation(ContinuationScope scope, Runnable body) { super(scope, body); }
            method(out, 0x0001, 5, 6, 3, 3, new byte[] {0x2a, 0x2b, 0x2c, (byte) 0xb7, 0, 8, (byte) 0xb1});
            // protected void onPinned(Pinned reason) { }
            method(out, 0x0004, 9, 10, 0, 2, new byte[] {(byte) 0xb1});
            out.writeShort(0);      // class attributes
            out.flush();
            return buffer.toByteArray();
        }

        private static void classEntry(java.io.DataOutputStream out, int name) throws java.io.IOException {
            out.writeByte(7); // CONSTANT_Class
            out.writeShort(name);
        }

        private static void method(java.io.DataOutputStream out, int access, int name, int descriptor, int maxStack,
                                   int maxLocals, byte[] code) throws java.io.IOException {
            out.writeShort(access);
            out.writeShort(name);
            out.writeShort(descriptor);
            out.writeShort(1);  // one attribute: Code
            out.writeShort(11);
            out.writeInt(12 + code.length);
            out.writeShort(maxStack);
            out.writeShort(maxLocals);
            out.writeInt(code.length);
            out.write(code);
            out.writeShort(0);  // exception table
            out.writeShort(0);  // attributes
        }
    }

    /** One suspension and resumption, so that a JVM where they fail is found here and not in a process. */
    private static void selfTest(MethodHandle create, MethodHandle run, MethodHandle isDone, MethodHandle yield,
                                 Object scope) throws Throwable {
        int[] steps = new int[1];
        Object c = (Object) create.invokeExact(scope, (Runnable) () -> {
            steps[0]++;
            try {
                boolean ignored = (boolean) yield.invokeExact(scope);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            steps[0]++;
        });
        run.invokeExact(c);
        boolean doneEarly = (boolean) isDone.invokeExact(c);
        run.invokeExact(c);
        if (doneEarly || !(boolean) isDone.invokeExact(c) || steps[0] != 2) {
            throw new IllegalStateException("a continuation did not suspend and resume as expected");
        }
    }

    /** A new continuation that runs {@code body} when first {@link #run}. */
    static Object create(Runnable body) {
        try {
            return (Object) NEW.invokeExact(SCOPE, body);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Runs {@code c} until it ends or suspends; an exception its body throws comes out here. */
    static void run(Object c) {
        try {
            RUN.invokeExact(c);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static boolean isDone(Object c) {
        try {
            return (boolean) IS_DONE.invokeExact(c);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Suspends the continuation this code runs in, returning when it is resumed: true. False, at once, if it cannot
     * be suspended here (the JDK says it is pinned, e.g. by a native frame on the stack); the caller then waits
     * some other way.
     */
    static boolean suspend() {
        try {
            return (boolean) YIELD.invokeExact(SCOPE);
        } catch (IllegalStateException pinned) {
            return false;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The frames of the unmounted continuation {@code c}, innermost first, for a diagnostic; through
     * {@code StackWalker}'s package-private factory for continuations (reached as {@code java.lang} is open to Ergon),
     * or a note of why not.
     */
    static String frames(Object c) {
        try {
            Class<?> cont = Class.forName("jdk.internal.vm.Continuation");
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> extended = Class.forName("java.lang.StackWalker$ExtendedOption");
            java.lang.reflect.Method factory = StackWalker.class.getDeclaredMethod("newInstance", java.util.Set.class,
                    extended, scopeClass, cont);
            factory.setAccessible(true);
            StackWalker walker = (StackWalker) factory.invoke(null, java.util.Set.of(), null, SCOPE, c);
            return walker.walk(s -> s.limit(40).map(f -> f.getClassName() + "." + f.getMethodName() + ":"
                    + f.getLineNumber()).collect(java.util.stream.Collectors.joining(" < ")));
        } catch (Throwable t) {
            return "(not available: " + t + ")";
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
