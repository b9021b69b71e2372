/**
 * Turns the suite's result lines into the comparison tables, and measures the loopback floor under cross-node
 * figures.
 */
package io.ergon.bench.report;
