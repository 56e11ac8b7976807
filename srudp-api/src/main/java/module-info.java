/** srudp's public API and the peer directory SPI. No third-party dependencies. */
module dev.srudp.api {
    exports dev.srudp;
    exports dev.srudp.spi;

    uses dev.srudp.spi.PeerDirectoryProvider;
}
