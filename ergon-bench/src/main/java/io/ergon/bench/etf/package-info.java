/**
 * JMH benchmarks of the External Term Format codec against JInterface, on one mix of realistic messages, and the
 * report that prints them side by side.
 */
package io.ergon.bench.etf;
