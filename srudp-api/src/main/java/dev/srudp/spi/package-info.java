/**
 * The peer directory service-provider interface: how peers publish and find signed endpoint
 * records. Directories carry records as opaque bytes; srudp-core verifies them.
 */
package dev.srudp.spi;
