/**
 * This peer's stored identity and the signed endpoint records peers publish in directories.
 *
 * <ul>
 *   <li>{@link dev.srudp.core.record.IdentityStore} creates, saves and loads a
 *       {@link dev.srudp.core.record.LocalIdentity} (Ed25519 identity, X25519 static key, default
 *       port) in a home directory, {@code ~/.srudp} by default.</li>
 *   <li>{@link dev.srudp.core.record.EndpointRecord} says who a peer is and where it can be
 *       reached; {@link dev.srudp.core.record.SignedRecords} signs one into the opaque bytes a
 *       {@link dev.srudp.spi.PeerDirectory} carries.</li>
 *   <li>{@link dev.srudp.core.record.RecordVerifier} reads those bytes back, checks signature,
 *       certificate, validity, directory address and sequence number, and returns a
 *       {@link dev.srudp.core.record.RecordCheck} that names the reason for any refusal.</li>
 * </ul>
 *
 * <p>The wire format is {@code srudp-core/src/main/proto/endpoint_record.proto}; the classes
 * generated from it live in {@code dev.srudp.core.record.proto} and appear in no public signature
 * of this package.
 */
package dev.srudp.core.record;
