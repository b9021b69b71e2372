package io.ergon.sample;

/** A request to the greeter: {@code {greet, Name}} on the wire. */
public record Greet(String name) {
}
