package io.ergon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/ARCHITECTURE.md, checked over ergon-core's sources: term → etf → node → gen → net, each
 * using only itself and the layers below ({@code .internal} belongs to its layer; {@code io.ergon.concurrent} and
 * {@code io.ergon.api}, the stability annotations, are usable by all). Every reference to an {@code io.ergon} type in code (an import or a qualified name) counts; comments do not.
 *
 * <p>The references that break the rule today (the node starting distribution itself, the distribution layer
 * reaching into the node's internals) are listed in {@link #KNOWN}: the test fails on any other, and also when a
 * listed one is gone, so the list only shrinks. Removing them is issue 18's open part.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.ergon\\.([a-z]+)((?:\\.[a-z]+)*)\\.([A-Z]\\w*)");
    private static final Map<String, Integer> LAYER = Map.of(
            "concurrent", 0, "api", 0, "term", 1, "etf", 2, "node", 3, "gen", 4, "net", 5);

    /** "file -> referenced package.Type" pairs that break the layering today; see the class comment. */
    private static final Set<String> KNOWN = Set.of(
            "io/ergon/node/Node.java -> io.ergon.net.Rpc",
            "io/ergon/node/Node.java -> io.ergon.net.internal.Distribution",
            "io/ergon/node/Node.java -> io.ergon.net.internal.IoServer",
            "io/ergon/node/Node.java -> io.ergon.net.internal.NetKernel",
            "io/ergon/node/Node.java -> io.ergon.net.internal.RexServer");

    /** The classes outside io.ergon.node that use io.ergon.node.internal today (only the node may, in the end). */
    private static final Set<String> KNOWN_INTERNAL_FILES = Set.of(
            "io/ergon/net/internal/Connection.java",
            "io/ergon/net/internal/Control.java",
            "io/ergon/net/internal/Distribution.java",
            "io/ergon/net/internal/OutQueue.java",
            "io/ergon/net/internal/Routing.java");

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
