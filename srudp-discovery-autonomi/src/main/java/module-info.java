/**
 * An experimental peer directory on the Autonomi Network: the signed endpoint record lives in a
 * public scratchpad, a pointer names it, and both are written and read through a local gateway
 * (AntTP or dweb) over HTTP. See docs/discovery-autonomi.md.
 */
module dev.srudp.discovery.autonomi {
    // transitive: the exported classes implement and return types of the SPI
    requires transitive dev.srudp.api;
    // OkHttp and Jackson are used only inside this module and never appear in its exported API
    requires okhttp3;
    requires com.fasterxml.jackson.databind;

    exports dev.srudp.discovery.autonomi;

    provides dev.srudp.spi.PeerDirectoryProvider
            with dev.srudp.discovery.autonomi.AutonomiDirectoryProvider;
}
