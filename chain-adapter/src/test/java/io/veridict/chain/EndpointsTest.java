package io.veridict.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veridict.chain.internal.Endpoints;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** A node URL in a message keeps its scheme, host and port only: never credentials, path or query. */
class EndpointsTest {
  @Test
  void credentialsPathAndQueryNeverAppear() {
    assertEquals("https://mainnet.example:443",
        Endpoints.redacted(URI.create("https://user:hunter2@mainnet.example:443/v3/SECRETPROJECTKEY?key=abc#f")));
    assertEquals("http://127.0.0.1:8545", Endpoints.redacted(URI.create("http://127.0.0.1:8545")));
    assertEquals("https://rpc.example", Endpoints.redacted(URI.create("https://rpc.example/SECRET")));
    assertEquals("http://[::1]:8545", Endpoints.redacted(URI.create("http://[::1]:8545/x")));
  }
}
