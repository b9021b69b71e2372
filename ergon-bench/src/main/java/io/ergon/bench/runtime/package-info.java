/**
 * JMH micro-benchmarks of the runtime pieces tuned for speed: mailbox push and batched activation, one activation
 * waking another, the call path.
 */
package io.ergon.bench.runtime;
