package io.veridict.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.core.proof.ProofOptions;
import io.veridict.model.FloatModel;
import io.veridict.model.ModelArchitecture;
import io.veridict.model.ModelDescription;
import io.veridict.model.ModelPackage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/** What the model commands share: errors with exit codes, file I/O, features, profiles, JSON. */
final class Cli {
  /** Exit codes (documented in docs/cli.md). */
  static final int OK = 0;
  static final int REJECTED = 1;
  static final int USAGE = 2;
  static final int ACCURACY = 3;
  static final int INPUT = 4;

  static final String PRIVATE_FILE = "model.private.json";
  static final String PUBLIC_FILE = "model.public.json";

  static final ObjectMapper JSON = new ObjectMapper();
  /**
   * For files that must mean one thing (features, batch manifests): a duplicate key is an error,
   * never "the last one wins" (another reader may keep the first).
   */
  static final com.fasterxml.jackson.databind.ObjectReader STRICT_JSON =
      JSON.reader().with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION);

  private Cli() {}

  /**
   * What a job computed, for either front end: its exit code, the {@code --json} object (the
   * service answers with the same keys) and the text printed for people.
   */
  record Result(int exit, ObjectNode json, String text) {}

  /** Prints {@code r} (its JSON object or its text) and returns its exit code. */
  static int emit(CommandSpec spec, boolean json, Result r) {
    if (json) {
      printJson(spec, r.json());
    } else {
      print(spec, r.text());
    }
    return r.exit();
  }

  /** An expected failure: exit {@code code}, print {@code message} and what to do about it. */
  static final class Failure extends RuntimeException {
    final int code;
    final List<String> hints;
    private final transient Result output;

    Failure(int code, String message, String... hints) {
      this(code, message, List.of(hints), null);
    }

    private Failure(int code, String message, List<String> hints, Result output) {
      super(message);
      this.code = code;
      this.hints = hints;
      this.output = output;
    }

    /** The same failure, with a report printed on stdout before the error (e.g. the accuracy report). */
    Failure withOutput(Result r) {
      return new Failure(code, getMessage(), hints, r);
    }

    java.util.Optional<Result> output() {
      return java.util.Optional.ofNullable(output);
    }
  }

  static Failure usage(String message, String... hints) {
    return new Failure(USAGE, message, hints);
  }

  /** Prints {@code f} to stderr as {@code veridict <command>: error: ...} and returns its exit code. */
  static int report(CommandSpec spec, Failure f) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(spec.qualifiedName() + ": error: " + f.getMessage());
    for (String h : f.hints) {
      err.println("  " + h);
    }
    if (f.code == USAGE) {
      err.println("  (see: " + spec.qualifiedName() + " --help)");
    }
    err.flush();
    return f.code;
  }

  static void print(CommandSpec spec, String text) {
    PrintWriter out = spec.commandLine().getOut();
    out.println(text);
    out.flush();
  }

  static void printJson(CommandSpec spec, JsonNode node) {
    try {
      print(spec, JSON.writeValueAsString(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a whole file, at most {@code maxBytes}; missing, unreadable or too large: exit 2. */
  static byte[] read(Path file, long maxBytes, String what) {
    try {
      if (Files.isDirectory(file)) {
        throw usage(what + " " + file + " is a directory, not a file");
      }
      long size = Files.size(file);
      if (size > maxBytes) {
        throw usage(what + " " + file + " is " + size + " bytes; the limit is " + maxBytes);
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw usage(what + " " + file + " does not exist", "Check the path.");
    } catch (AccessDeniedException e) {
      throw usage("cannot read " + what + " " + file + ": permission denied");
    } catch (IOException e) {
      throw usage("cannot read " + what + " " + file + ": " + e.getMessage());
    }
  }

  /** Missing, a directory or unreadable: exit 2. */
  static void checkReadable(Path file, String what) {
    if (!Files.exists(file)) {
      throw usage(what + " " + file + " does not exist", "Check the path.");
    }
    if (Files.isDirectory(file)) {
      throw usage(what + " " + file + " is a directory, not a file");
    }
    if (!Files.isReadable(file)) {
      throw usage("cannot read " + what + " " + file + ": permission denied");
    }
  }

  /** The named proof profile; {@code insecure} options are deliberately not reachable. */
  static ProofOptions profile(String name) {
    return switch (name) {
      case "standard" -> ProofOptions.standard();
      case "high" -> ProofOptions.high();
      default -> throw usage("--profile must be standard or high, got '" + name + "'");
    };
  }

  /** The private package: {@code path} is a model directory or the {@code model.private.json} itself. */
  static ModelPackage loadPackage(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve(PRIVATE_FILE) : path;
    if (!Files.exists(file)) {
      throw usage("no " + PRIVATE_FILE + " in " + path,
          "Proving needs the private model package written by 'veridict model import --out DIR'.");
    }
    byte[] bytes = read(file, ModelPackage.MAX_BYTES, "model package");
    try {
      return ModelPackage.fromJsonBytes(bytes);
    } catch (IllegalArgumentException e) {
      throw usage(file + " is not a valid private model package: " + e.getMessage(),
          "Re-import the model with 'veridict model import'.");
    }
  }

  /** The default policy threshold: the model's suggested one, else 0.5 for logistic models, else 0. */
  static double defaultThreshold(ModelArchitecture a, OptionalDouble suggested) {
    if (suggested.isPresent()) {
      return suggested.getAsDouble();
    }
    return a.link() == FloatModel.Link.LOGISTIC ? 0.5 : 0;
  }

  static double defaultThreshold(ModelDescription d) {
    return defaultThreshold(d.architecture(), d.suggestedThreshold());
  }

  /**
   * Reads applicant features: a JSON object {@code name -> number} with every model feature (and no
   * other), or a JSON array of numbers in model input order. Problems exit 2.
   */
  static double[] readFeatures(Path file, ModelArchitecture a) {
    byte[] bytes = read(file, 16 << 20, "features file");
    JsonNode root;
    try {
      root = STRICT_JSON.readTree(bytes);
    } catch (IOException e) {
      throw usage("features file " + file + " is not JSON: " + firstLine(e.getMessage()),
          "Expected {\"feature\": number, ...} or [number, ...] in model order.");
    }
    return features(root, a, "features file " + file);
  }

  /**
   * Applicant features from parsed JSON ({@code what} names where they came from in messages): an
   * object {@code name -> number} with every model feature and no other, or an array in model input
   * order. Problems are usage errors whose messages never echo a feature value.
   */
  static double[] features(JsonNode root, ModelArchitecture a, String what) {
    List<String> names = a.featureNames();
    double[] x = new double[names.size()];
    if (root != null && root.isArray()) {
      if (root.size() != names.size()) {
        throw usage(what + " has " + root.size() + " values; the model takes "
                + names.size() + " (" + abbreviate(names) + ")",
            "Give the values in model input order, or use an object {\"name\": value}.");
      }
      for (int i = 0; i < x.length; i++) {
        x[i] = number(root.get(i), what, "[" + i + "] (" + names.get(i) + ")");
      }
      return x;
    }
    if (root == null || !root.isObject()) {
      throw usage(what + " must hold a JSON object or array",
          "Expected {\"feature\": number, ...} or [number, ...] in model order.");
    }
    Set<String> known = new LinkedHashSet<>(names);
    List<String> unknown = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (!known.contains(n)) {
        unknown.add(n);
      }
    }
    List<String> missing = new ArrayList<>();
    for (String n : names) {
      if (!root.has(n)) {
        missing.add(n);
      }
    }
    if (!unknown.isEmpty() || !missing.isEmpty()) {
      StringBuilder m = new StringBuilder(what + " does not match the model:");
      if (!missing.isEmpty()) {
        m.append(" missing ").append(abbreviate(missing)).append(';');
      }
      if (!unknown.isEmpty()) {
        m.append(" unknown ").append(abbreviate(unknown)).append(';');
      }
      m.setLength(m.length() - 1);
      throw usage(m.toString(), "The model's features are: " + abbreviate(names),
          "(see them with 'veridict model inspect DIR').");
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = number(root.get(names.get(i)), what, "'" + names.get(i) + "'");
    }
    return x;
  }

  private static double number(JsonNode n, String what, String where) {
    if (n == null || !n.isNumber() || !Double.isFinite(n.doubleValue())) {
      // The kind of value only, never the value: it is the applicant's data.
      throw usage(what + ": " + where + " must be a finite number, got "
          + (n == null ? "nothing" : n.isNumber() ? "a number out of range" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT)),
          "Proofs need a value for every feature.");
    }
    return n.doubleValue();
  }

  static String abbreviate(List<String> names) {
    int max = 20;
    String s = String.join(", ", names.subList(0, Math.min(max, names.size())));
    return names.size() > max ? s + ", ... (" + names.size() + " in all)" : s;
  }

  /**
   * {@code s} safe to print on a terminal: control characters (C0, DEL, C1) as {@code \\uXXXX}. A
   * bundle's strings (model name, subject, policy id, nonce) are the prover's choice, and an escape
   * sequence in them could rewrite what a reviewer sees on screen.
   */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }

  /** Refuses an existing file unless {@code force}: exit 2. */
  static void checkWritable(Path target, boolean force) {
    if (Files.isDirectory(target)) {
      throw usage(target + " is a directory");
    }
    if (Files.exists(target) && !force) {
      throw usage(target + " already exists", "Choose another path, or pass --force to replace it.");
    }
  }

  /**
   * Writes {@code bytes} to {@code target} atomically: a temporary file in the same directory, then
   * a rename. {@code secret} files are created {@code rw-------} where POSIX permissions exist;
   * others {@code rw-r--r--}.
   */
  static void writeAtomically(Path target, byte[] bytes, boolean secret) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path tmp = posix
        ? Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      Files.write(tmp, bytes);
      if (posix && !secret) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A random 128-bit nonce in hex from {@link java.security.SecureRandom}. */
  static String randomNonce() {
    byte[] b = new byte[16];
    new java.security.SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static double round(double v, int digits) {
    if (!Double.isFinite(v)) {
      return v;
    }
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  /** Puts a number, or null when it is NaN/infinite (not representable in JSON). */
  static void putNumber(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  /** {@code shape} of an architecture for people: "layers [4, 8, 1]" or "12 trees x depth 3". */
  static String shape(ModelArchitecture a) {
    if (a.family().isDense()) {
      return "layers " + java.util.Arrays.toString(a.layerSizes());
    }
    return a.numTrees() + " trees x depth " + a.treeDepth();
  }

  static <K, V> String kv(Map<K, V> m) {
    StringBuilder sb = new StringBuilder();
    m.forEach((k, v) -> sb.append(String.format("  %-21s %s%n", k + ":", v)));
    return sb.toString().stripTrailing();
  }
}
