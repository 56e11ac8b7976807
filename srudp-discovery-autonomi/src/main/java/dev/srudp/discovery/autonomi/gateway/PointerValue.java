package dev.srudp.discovery.autonomi.gateway;

/** A pointer as a gateway reported it: its address, the address it targets, its network counter. */
public record PointerValue(String address, String target, long counter) {}
