/**
 * srudp's public API: endpoints, connections, streams, peer identities, configuration and the
 * exceptions a connection reports. The implementation lives in {@code srudp-core}; obtain an
 * endpoint with {@code dev.srudp.core.Srudp.open(...)}.
 */
package dev.srudp;
