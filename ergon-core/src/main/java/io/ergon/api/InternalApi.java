package io.ergon.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks what Ergon's own modules use but users must not: it may change or go in any release, without notice or
 * deprecation. It is public only because Java has no visibility between "package" and "everyone" that another
 * package of Ergon could use (a constructor the runtime calls from {@code node.internal}, say).
 *
 * <p>On a package (in its {@code package-info.java}) it covers every type in it; every {@code .internal} package
 * carries it, and {@code module-info} does not export them.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.PACKAGE, ElementType.TYPE, ElementType.CONSTRUCTOR, ElementType.METHOD, ElementType.FIELD})
public @interface InternalApi {
}
