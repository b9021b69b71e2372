/**
 * The cluster as the observer follows it: a sampling loop that reads every node over rpc, turns counters into rates
 * and plots, follows supervisors' restarts and supervised processes' crashes, and hands out each sample.
 */
package io.ergon.observer.cluster;
