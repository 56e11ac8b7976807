/**
 * A peer directory without any network service: signed records travel as rendezvous strings
 * ({@code srudp:srudp1-...}) passed by hand, or as files in a folder both peers sync.
 */
module dev.srudp.discovery.manual {
    // transitive: the exported classes implement and return types of the SPI
    requires transitive dev.srudp.api;

    exports dev.srudp.discovery.manual;

    provides dev.srudp.spi.PeerDirectoryProvider
            with dev.srudp.discovery.manual.ManualDirectoryProvider;
}
