package io.ergon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/ARCHITECTURE.md, checked over ergon-core's sources: term → etf → node → gen (and events, beside
 * it) → net, each using only itself and the layers below ({@code .internal} belongs to its layer; {@code io.ergon.concurrent} and
 * {@code io.ergon.api}, the stability annotations, are usable by all). Every reference to an {@code io.ergon} type in code (an import or a qualified name) counts; comments do not.
 *
 * <p>{@link #KNOWN} would list references that break the rule; it is empty since issue 18 (the node finds its
 * distribution through {@code io.ergon.node.spi} and {@link java.util.ServiceLoader}), and must stay so. The test
 * also fails on any cycle among the packages, a package with its {@code .internal} and {@code .spi} parts counting
 * as one, whatever the layer table says.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("../ergon-core/src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.ergon\\.([a-z]+)((?:\\.[a-z]+)*)\\.([A-Z]\\w*)");
    private static final Map<String, Integer> LAYER = Map.of(
            "concurrent", 0, "api", 0, "term", 1, "etf", 2, "node", 3, "gen", 4, "events", 4, "net", 5, "pool", 5);

    /** "file -> referenced package.Type" pairs that break the layering today; see the class comment. */
    /** "file -> referenced package.Type" pairs that break the layering: none since issue 18. */
    private static final Set<String> KNOWN = Set.of();

    /** The classes outside io.ergon.node that use io.ergon.node.internal: none (the net layer uses node.spi). */
    private static final Set<String> KNOWN_INTERNAL_FILES = Set.of();

    @Test
    void noLayerUsesALayerAboveIt() {
        Set<String> violations = new TreeSet<>();
        for (Path file : sources()) {
            String rel = SOURCES.relativize(file).toString().replace('\\', '/');
            String own = rel.split("/")[2];
            Integer ownLayer = LAYER.get(own);
            assertThat(ownLayer).as("layer of " + rel).isNotNull();
            Matcher m = REFERENCE.matcher(read(file));
            while (m.find()) {
                Integer target = LAYER.get(m.group(1));
                if (target != null && target > ownLayer && target != 0) {
                    violations.add(rel + " -> io.ergon." + m.group(1) + m.group(2) + "." + m.group(3));
                }
            }
        }
        assertThat(violations).as("references to a higher layer (see docs/ARCHITECTURE.md)")
                .containsExactlyInAnyOrderElementsOf(KNOWN);
    }

    @Test
    void onlyTheListedDistributionClassesReachIntoTheNodesInternals() {
        Set<String> users = new TreeSet<>();
        for (Path file : sources()) {
            String rel = SOURCES.relativize(file).toString().replace('\\', '/');
            if (rel.startsWith("io/ergon/node/") || !read(file).contains("io.ergon.node.internal.")) {
                continue;
            }
            users.add(rel);
        }
        assertThat(users).as("classes outside io.ergon.node that use io.ergon.node.internal")
                .containsExactlyInAnyOrderElementsOf(KNOWN_INTERNAL_FILES);
    }

    @Test
    void noPackageCycles() {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (Path file : sources()) {
            String rel = SOURCES.relativize(file).toString().replace('\\', '/');
            String own = rel.split("/")[2];
            Set<String> targets = uses.computeIfAbsent(own, k -> new TreeSet<>());
            Matcher m = REFERENCE.matcher(read(file));
            while (m.find()) {
                if (!m.group(1).equals(own)) {
                    targets.add(m.group(1));
                }
            }
        }
        assertThat(findCycle(uses)).as("a cycle among io.ergon's packages (each with its .internal and .spi)")
                .isEmpty();
    }

    @Test
    void theCycleCheckSeesACycle() {
        Map<String, Set<String>> uses = Map.of("node", Set.of("term", "net"), "net", Set.of("gen"),
                "gen", Set.of("node"), "term", Set.of());
        assertThat(findCycle(uses)).containsExactly("gen", "node", "net", "gen");
        assertThat(findCycle(Map.of("net", Set.of("node"), "node", Set.of()))).isEmpty();
    }

    /** A cycle in the graph as a path that starts and ends at one package, or empty if there is none. */
    private static List<String> findCycle(Map<String, Set<String>> uses) {
        Map<String, Integer> state = new HashMap<>(); // 1: on the current path, 2: done
        Deque<String> path = new ArrayDeque<>();
        for (String start : new TreeSet<>(uses.keySet())) {
            List<String> cycle = visit(start, uses, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> visit(String p, Map<String, Set<String>> uses, Map<String, Integer> state,
                                      Deque<String> path) {
        Integer s = state.get(p);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null) {
            List<String> onPath = new ArrayList<>(path);
            List<String> cycle = new ArrayList<>(onPath.subList(onPath.indexOf(p), onPath.size()));
            cycle.add(p);
            return cycle;
        }
        state.put(p, 1);
        path.addLast(p);
        for (String next : new TreeSet<>(uses.getOrDefault(p, Set.of()))) {
            List<String> cycle = visit(next, uses, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.removeLast();
        state.put(p, 2);
        return List.of();
    }

    @Test
    void theCheckSeesAViolation() {
        Matcher m = REFERENCE.matcher("import io.ergon.net.internal.Distribution;");
        assertThat(m.find()).isTrue();
        assertThat(List.of(m.group(1), m.group(2), m.group(3))).containsExactly("net", ".internal", "Distribution");
    }

    private static List<Path> sources() {
        try (Stream<Path> s = Files.walk(SOURCES)) {
            return s.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            // code only: a Javadoc link to a higher layer is documentation, not a dependency
            return Files.readString(file).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
