/**
 * The annotations that say how stable an API is: {@link io.ergon.api.InternalApi} (not for users) and
 * {@link io.ergon.api.Experimental} (may change in a minor release). Everything else public in an exported package is
 * stable. Depends on nothing, so every layer may use it.
 */
package io.ergon.api;
