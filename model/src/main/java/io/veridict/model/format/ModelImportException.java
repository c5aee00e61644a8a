package io.veridict.model.format;

/**
 * A model file Veridict cannot import. The message names what is wrong (the operator, attribute,
 * node, objective or JSON path) and, for unsupported constructs, what is supported instead.
 * Importers never approximate silently: anything they cannot represent exactly is this exception.
 */
public final class ModelImportException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why an import failed. */
  public enum Reason {
    /** The file is bigger than the importer's bound for its format. */
    TOO_LARGE,
    /** Not a well-formed file of the format (bad JSON, bad protobuf, wrong types, missing fields). */
    MALFORMED,
    /** Well-formed, but uses an operator, attribute, objective or model kind Veridict cannot prove. */
    UNSUPPORTED,
    /** Well-formed and supported, but inconsistent (shapes disagree, dangling tree nodes, ...). */
    INVALID
  }

  private final Reason reason;

  public ModelImportException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ModelImportException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** The typed reason. */
  public Reason reason() {
    return reason;
  }
}
