package dev.maas.runtime.source;

import java.time.Duration;
import java.util.Map;

/** Opens the remote object a location names, with the settings and credentials its scheme uses. */
final class Sources {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  /** No byte for this long: the connection is taken as broken, and the download resumed. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final SourceSettings settings;

  Sources(SourceSettings settings) {
    this.settings = settings;
  }

  RemoteObject open(SourceUri location) {
    if (location instanceof SourceUri.Web web) {
      return new HttpRemoteObject(
          web.written(),
          web.uri(),
          Map.of(),
          new HttpRemoteObject.Refusals(
              "the URL must be readable without credentials (use s3:// or hf:// for private"
                  + " stores)",
              "check the URL"),
          CONNECT_TIMEOUT,
          READ_TIMEOUT);
    }
    if (location instanceof SourceUri.Hub hub) {
      return hub(hub);
    }
    if (location instanceof SourceUri.S3 s3) {
      S3Clients.Configured configured = S3Clients.of(settings);
      return new S3RemoteObject(
          s3, configured.client(), configured.credentials(), configured.credentialsName());
    }
    throw new IllegalArgumentException(location.written() + " is a local file");
  }

  private RemoteObject hub(SourceUri.Hub hub) {
    var token = settings.hubToken();
    String tokenName = settings.credentialsName("HF_TOKEN");
    return new HttpRemoteObject(
        hub.written(),
        HubFiles.resolveUrl(settings.hubEndpoint(), hub),
        HubFiles.headers(token),
        new HttpRemoteObject.Refusals(
            token.isPresent()
                ? "check " + tokenName + ": it does not grant access to " + hub.repo()
                : "the repository " + hub.repo() + " is gated or private: set HF_TOKEN",
            "no "
                + hub.path()
                + " at revision "
                + hub.revisionOrMain()
                + " of "
                + hub.repo()
                + (token.isPresent()
                    ? ""
                    : " (the Hub also answers 404 for a private repository" + " without a token)")),
        CONNECT_TIMEOUT,
        READ_TIMEOUT);
  }
}
