/**
 * Runnable examples, starting with the three of Ergo's introduction: {@link io.ergon.examples.SimpleActor} (an
 * actor that logs what it receives), {@link io.ergon.examples.TwoNodes} (a message between two nodes; needs
 * distribution) and {@link io.ergon.examples.SupervisedWorker} (a worker that crashes and is restarted), and
 * {@link io.ergon.examples.PriceTicker} (events: a producer and its subscribers on two nodes). Each runs with
 * {@code ./ergon example <name>}.
 */
package io.ergon.examples;
