package io.ergon.spring;

import io.ergon.gen.ChildSpec;
import io.ergon.node.Node;
import io.ergon.node.NodeConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Ergon in a Spring Boot application: a {@link Node} bean named and configured by the {@code ergon.*} settings
 * (the keys of {@link NodeConfig}, from {@code application.yml}, {@code application.properties} or the environment,
 * as {@code ERGON_COOKIE} and the like); an {@link ErgonRoot} that supervises every {@link ChildSpec} bean; and,
 * with Actuator, the {@code ergon} health indicator. The node stops with the context, after the root supervisor
 * has stopped its children in reverse order. {@code ergon.enabled=false} turns it all off.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "ergon", name = "enabled", havingValue = "true", matchIfMissing = true)
public class ErgonAutoConfiguration {
    /** The node's name when {@code ergon.name} is not set: {@code spring.application.name}, else this. */
    static final String DEFAULT_NAME = "ergon";

    /** The node, started from the environment's {@code ergon.*} settings; closed (gracefully) with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Node ergonNode(Environment environment) {
        NodeConfig config = NodeConfig.from(settings(environment), "the Spring environment", Map.of());
        String name = config.name();
        if (name == null) {
            String app = environment.getProperty("spring.application.name", DEFAULT_NAME);
            name = app.replaceAll("[^A-Za-z0-9_-]", "_") + "@localhost";
        }
        return Node.start(name, config.options());
    }

    /** The root supervisor of the application's {@link ChildSpec} beans (none: it supervises nothing). */
    @Bean(destroyMethod = "stop")
    @ConditionalOnMissingBean
    public ErgonRoot ergonRoot(Node node, ObjectProvider<ChildSpec> children, Environment environment) {
        return ErgonRoot.start(node, children.orderedStream().toList(),
                environment.getProperty("ergon.root.name", ErgonRoot.DEFAULT_NAME));
    }

    /** The {@code ergon.*} keys of {@link NodeConfig} as the environment gives them (relaxed names included). */
    static Map<String, String> settings(Environment environment) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : NodeConfig.KEYS) {
            String value = environment.getProperty(key);
            if (value != null) {
                settings.put(key, value);
            }
        }
        return settings;
    }

    /** The health indicator, where Actuator is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "ergonHealthIndicator")
        public ErgonHealthIndicator ergonHealthIndicator(Node node, ErgonRoot root) {
            return new ErgonHealthIndicator(node, root);
        }
    }
}
