package io.veridict.model.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.model.Scorecard;
import io.veridict.model.format.ModelImportException.Reason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads Veridict's scorecard JSON format, version 1 (specified in docs/model-formats.md):
 *
 * <pre>{@code
 * {"format": "veridict-scorecard", "version": 1, "name": "...", "base_score": 529.15,
 *  "cutoff": 487.12,                     // optional: approve if score >= cutoff
 *  "features": [{"name": "Duration",
 *                "bins": [{"upper": 12, "points": 21.8}, ..., {"upper": null, "points": -18.7}]}]}
 * }</pre>
 *
 * A value {@code x} falls in the first bin with {@code x < upper}; the last bin has {@code upper:
 * null} (no bound). Unknown keys, duplicate keys, non-increasing bounds, duplicate feature names
 * and non-finite numbers are errors.
 */
final class ScorecardJsonReader {
  static final int MAX_FEATURES = 1024;
  static final int MAX_BINS = 256;

  private ScorecardJsonReader() {}

  record Result(Scorecard model, String name, OptionalDouble cutoff) {}

  static Result read(JsonNode root) throws ModelImportException {
    keys(root, "$", Set.of("format", "version", "name", "base_score", "cutoff", "features", "description"));
    if (!root.path("format").isTextual() || !root.get("format").asText().equals("veridict-scorecard")) {
      throw new ModelImportException(Reason.MALFORMED, "$.format must be \"veridict-scorecard\"");
    }
    if (!root.path("version").isIntegralNumber() || root.get("version").asInt() != 1) {
      throw new ModelImportException(Reason.UNSUPPORTED,
          "$.version " + root.get("version") + " is not supported; this reader knows version 1");
    }
    String name = root.has("name") ? text(root.get("name"), "$.name") : "";
    double base = number(root.get("base_score"), "$.base_score");
    OptionalDouble cutoff = root.has("cutoff") && !root.get("cutoff").isNull()
        ? OptionalDouble.of(number(root.get("cutoff"), "$.cutoff")) : OptionalDouble.empty();
    JsonNode features = root.get("features");
    if (features == null || !features.isArray() || features.isEmpty() || features.size() > MAX_FEATURES) {
      throw new ModelImportException(Reason.MALFORMED, "$.features must be an array of 1.." + MAX_FEATURES + " features");
    }
    List<String> names = new ArrayList<>();
    List<Scorecard.Characteristic> chars = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int f = 0; f < features.size(); f++) {
      String at = "$.features[" + f + "]";
      JsonNode feat = features.get(f);
      keys(feat, at, Set.of("name", "bins", "description"));
      String fname = text(feat.get("name"), at + ".name");
      if (fname.isEmpty() || !seen.add(fname)) {
        throw new ModelImportException(Reason.INVALID, at + ".name '" + fname + "' is empty or repeated");
      }
      JsonNode bins = feat.get("bins");
      if (bins == null || !bins.isArray() || bins.isEmpty() || bins.size() > MAX_BINS) {
        throw new ModelImportException(Reason.MALFORMED, at + ".bins must be an array of 1.." + MAX_BINS + " bins");
      }
      double[] edges = new double[bins.size() - 1];
      double[] points = new double[bins.size()];
      for (int j = 0; j < bins.size(); j++) {
        String bat = at + ".bins[" + j + "]";
        JsonNode bin = bins.get(j);
        keys(bin, bat, Set.of("upper", "points", "label"));
        if (!bin.has("upper")) {
          throw new ModelImportException(Reason.MALFORMED, bat + ".upper is missing (use null for the last bin)");
        }
        boolean last = j == bins.size() - 1;
        JsonNode upper = bin.get("upper");
        if (last != upper.isNull()) {
          throw new ModelImportException(Reason.INVALID, last
              ? bat + ".upper must be null: the last bin takes every value above the previous bound"
              : bat + ".upper is null but only the last bin may be unbounded");
        }
        if (!last) {
          edges[j] = number(upper, bat + ".upper");
          if (j > 0 && !(edges[j] > edges[j - 1])) {
            throw new ModelImportException(Reason.INVALID, bat + ".upper must be greater than the previous bin's");
          }
        }
        points[j] = number(bin.get("points"), bat + ".points");
      }
      names.add(fname);
      chars.add(new Scorecard.Characteristic(edges, points));
    }
    try {
      return new Result(new Scorecard(names, chars, base), name, cutoff);
    } catch (IllegalArgumentException e) {
      throw new ModelImportException(Reason.INVALID, "inconsistent scorecard: " + e.getMessage(), e);
    }
  }

  private static void keys(JsonNode o, String at, Set<String> allowed) throws ModelImportException {
    if (o == null || !o.isObject()) {
      throw new ModelImportException(Reason.MALFORMED, at + " must be an object");
    }
    var it = o.fieldNames();
    while (it.hasNext()) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new ModelImportException(Reason.MALFORMED, at + " has unknown key '" + k + "'; allowed: " + allowed);
      }
    }
  }

  private static String text(JsonNode n, String at) throws ModelImportException {
    if (n == null || !n.isTextual() || n.asText().length() > 256) {
      throw new ModelImportException(Reason.MALFORMED, at + " must be a string of at most 256 characters");
    }
    return n.asText();
  }

  private static double number(JsonNode n, String at) throws ModelImportException {
    if (n == null || !n.isNumber() || !Double.isFinite(n.asDouble())) {
      throw new ModelImportException(Reason.MALFORMED, at + " must be a finite number");
    }
    return n.asDouble();
  }
}
