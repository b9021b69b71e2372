/** The Spring Boot sample: {@link io.ergon.sample.GreeterApplication}. */
package io.ergon.sample;
