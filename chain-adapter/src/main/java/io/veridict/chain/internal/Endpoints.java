package io.veridict.chain.internal;

import java.net.URI;

/**
 * How a node's URL appears in messages: {@code scheme://host[:port]} only. Hosted RPC providers put
 * credentials in the user info, the path ({@code /v3/<project key>}) or the query; a ledger error
 * travels to logs, terminals and (through the HTTP service's readiness and 502 answers) to callers
 * without the API key, so none of that may appear in it.
 */
public final class Endpoints {
  private Endpoints() {}

  /** {@code uri} without user info, path, query or fragment. */
  public static String redacted(URI uri) {
    if (uri == null) {
      return "(no URL)";
    }
    String host = uri.getHost() == null ? "?" : uri.getHost();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return (uri.getScheme() == null ? "" : uri.getScheme() + "://") + host
        + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
  }
}
