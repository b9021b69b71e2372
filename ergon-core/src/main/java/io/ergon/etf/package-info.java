/**
 * The External Term Format, byte for byte as OTP writes it: {@link io.ergon.etf.EtfEncoder},
 * {@link io.ergon.etf.EtfDecoder} (with {@link io.ergon.etf.DecodeLimits} against hostile input), the mapping of
 * plain Java values to terms, and {@link io.ergon.etf.RecordRegistry}, which makes registered records travel as
 * tagged tuples and come back typed. Uses {@code io.ergon.term} only. Stable.
 */
package io.ergon.etf;
