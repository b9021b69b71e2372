/**
 * OTP's behaviours on top of processes: {@link io.ergon.gen.GenServer}, {@link io.ergon.gen.Supervisor} (with
 * {@link io.ergon.gen.SupervisorSpec}, {@link io.ergon.gen.ChildSpec} and {@link io.ergon.gen.SupervisorClient}) and
 * {@link io.ergon.gen.Applications}, following gen_server.erl, supervisor.erl and application_controller.erl. Stable.
 */
package io.ergon.gen;
