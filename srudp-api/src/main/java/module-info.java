/** srudp's public API. No third-party dependencies. */
module dev.srudp.api {
    exports dev.srudp;
}
