package io.ergon.gen;

import io.ergon.node.Actor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An application: a named, versioned component with the applications it needs, its environment (configuration) and
 * the root of its process tree (OTP's {@code .app} resource file with its {@code mod}). Immutable; the
 * {@code with}-style methods return changed copies.
 *
 * <pre>{@code
 * ApplicationSpec.of("shop").description("The web shop").version("1.2.0")
 *     .dependsOn("db", "cache")
 *     .env("port", 8080)
 *     .root(Supervisor.spec(Strategy.ONE_FOR_ONE).child(ChildSpec.worker("http", Http::new)))
 * }</pre>
 *
 * <p>An application without a root (a library application) starts and stops without any process.
 *
 * @param name its unique name on the node
 * @param description a line about it
 * @param version its version text
 * @param dependencies the applications that must run before it starts, in order
 * @param env its environment: configuration read with {@link Applications#env(String, String)}
 * @param root how its root process starts and stops (a supervisor, or a plain process), or null
 */
public record ApplicationSpec(String name, String description, String version, List<String> dependencies,
                              Map<String, Object> env, ChildSpec root) {
    public ApplicationSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an application needs a name");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(version, "version");
        dependencies = List.copyOf(dependencies);
        if (dependencies.contains(name)) {
            throw new IllegalArgumentException("application " + name + " cannot depend on itself");
        }
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** An application with this name and nothing else yet. */
    public static ApplicationSpec of(String name) {
        return new ApplicationSpec(name, "", "", List.of(), Map.of(), null);
    }

    public ApplicationSpec description(String text) {
        return new ApplicationSpec(name, text, version, dependencies, env, root);
    }

    public ApplicationSpec version(String text) {
        return new ApplicationSpec(name, description, text, dependencies, env, root);
    }

    /** This spec with {@code apps} added to the applications it needs. */
    public ApplicationSpec dependsOn(String... apps) {
        List<String> all = new ArrayList<>(dependencies);
        all.addAll(Arrays.asList(apps));
        return new ApplicationSpec(name, description, version, all, env, root);
    }

    /** This spec with one more environment entry (replacing one with the same key). */
    public ApplicationSpec env(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Map<String, Object> all = new LinkedHashMap<>(env);
        all.put(key, value);
        return new ApplicationSpec(name, description, version, dependencies, all, root);
    }

    /** This spec with a top supervisor running {@code spec} as its root (stopped without a time limit). */
    public ApplicationSpec root(SupervisorSpec spec) {
        return new ApplicationSpec(name, description, version, dependencies, env, ChildSpec.supervisor(name, spec));
    }

    /**
     * This spec with a plain process as its root (for an application that needs no supervision tree); it is stopped
     * like a worker: {@code shutdown}, then killed after 5 seconds.
     */
    public ApplicationSpec root(Supplier<? extends Actor> factory) {
        return new ApplicationSpec(name, description, version, dependencies, env, ChildSpec.worker(name, factory));
    }
}
