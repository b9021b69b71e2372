/**
 * Testing Ergon processes the way Pekko's and OTP's users do: {@link io.ergon.testkit.ErgonExtension} (a fresh node
 * per test), {@link io.ergon.testkit.TestProbe} (a process with expectations), {@link io.ergon.testkit.ManualTime}
 * (timers and timeouts driven by the test), {@link io.ergon.testkit.LogCapture}, and real Erlang nodes with
 * {@link io.ergon.testkit.TestCluster} and {@link io.ergon.testkit.ErlangNode}, and certificates for TLS tests
 * ({@link io.ergon.testkit.TestPki}). Add the module with test scope.
 */
package io.ergon.testkit;
