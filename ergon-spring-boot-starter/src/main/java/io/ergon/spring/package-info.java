/**
 * Spring Boot 3 support: {@link io.ergon.spring.ErgonAutoConfiguration} (a node from the {@code ergon.*} settings,
 * the application's {@code ChildSpec} beans under {@link io.ergon.spring.ErgonRoot}, shutdown with the context) and
 * {@link io.ergon.spring.ErgonHealthIndicator}.
 */
package io.ergon.spring;
