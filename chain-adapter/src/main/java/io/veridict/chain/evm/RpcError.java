package io.veridict.chain.evm;

/**
 * The node answered a JSON-RPC request with an error object (e.g. "nonce too low", "execution
 * reverted"). Not a transport problem: the caller decides what the error means for its operation.
 */
final class RpcError extends Exception {
  private static final long serialVersionUID = 1L;

  private final long code;
  private final String data;

  RpcError(String method, long code, String message, String data) {
    super(method + " failed: " + code + " " + message);
    this.code = code;
    this.data = data;
  }

  /** The JSON-RPC error code. */
  long code() {
    return code;
  }

  /** The error's {@code data} as text (revert data is {@code 0x} hex), or empty. */
  String data() {
    return data;
  }

  /** True if the message contains {@code fragment}, ignoring case. */
  boolean says(String fragment) {
    return getMessage().toLowerCase(java.util.Locale.ROOT).contains(fragment);
  }
}
