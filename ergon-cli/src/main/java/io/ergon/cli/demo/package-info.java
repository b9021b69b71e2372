/**
 * The acts of {@code ergon demo}: one node and its processes, a supervision tree that heals itself, and nodes
 * (Ergon and, when installed, Erlang) talking over the distribution protocol.
 */
package io.ergon.cli.demo;
