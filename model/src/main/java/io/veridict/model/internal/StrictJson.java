package io.veridict.model.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * One strict JSON configuration for Veridict's own formats: duplicate keys, trailing tokens,
 * non-standard numbers and deep nesting are errors; every object's key set is checked against what
 * the format allows. Errors are {@link IllegalArgumentException}s naming the path.
 */
public final class StrictJson {
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(32).maxStringLength(32 << 20).maxNumberLength(64).build());
  }

  private StrictJson() {}

  /** Parses {@code bytes} (at most {@code maxBytes}) into an object node. */
  public static ObjectNode parseObject(byte[] bytes, int maxBytes, String what) {
    if (bytes.length > maxBytes) {
      throw new IllegalArgumentException(what + " is " + bytes.length + " bytes; at most " + maxBytes);
    }
    try (JsonParser p = MAPPER.createParser(bytes)) {
      JsonNode n = MAPPER.readTree(p);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException(what + " must be a JSON object");
      }
      if (p.nextToken() != null) {
        throw new IllegalArgumentException(what + " has trailing content");
      }
      return (ObjectNode) n;
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
  }

  /** Rejects keys of {@code o} outside {@code allowed}. */
  public static void onlyKeys(JsonNode o, String path, Set<String> allowed) {
    if (!o.isObject()) {
      throw new IllegalArgumentException(path + " must be an object");
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException(path + " has an unknown field '" + k + "' (allowed: " + allowed + ")");
      }
    }
  }

  public static JsonNode field(JsonNode o, String path, String name) {
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(path + "." + name + " is missing");
    }
    return v;
  }

  public static String text(JsonNode o, String path, String name) {
    JsonNode v = field(o, path, name);
    if (!v.isTextual()) {
      throw new IllegalArgumentException(path + "." + name + " must be a string");
    }
    return v.textValue();
  }

  public static long integer(JsonNode o, String path, String name) {
    JsonNode v = field(o, path, name);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException(path + "." + name + " must be a 64-bit integer");
    }
    return v.longValue();
  }

  public static int smallInt(JsonNode o, String path, String name) {
    long v = integer(o, path, name);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(path + "." + name + " is out of range");
    }
    return (int) v;
  }

  public static double number(JsonNode o, String path, String name) {
    JsonNode v = field(o, path, name);
    if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw new IllegalArgumentException(path + "." + name + " must be a finite number");
    }
    return v.doubleValue();
  }

  public static boolean bool(JsonNode o, String path, String name) {
    JsonNode v = field(o, path, name);
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(path + "." + name + " must be true or false");
    }
    return v.booleanValue();
  }

  public static JsonNode array(JsonNode o, String path, String name, int maxLength) {
    JsonNode v = field(o, path, name);
    if (!v.isArray()) {
      throw new IllegalArgumentException(path + "." + name + " must be an array");
    }
    if (v.size() > maxLength) {
      throw new IllegalArgumentException(path + "." + name + " has " + v.size() + " entries; at most " + maxLength);
    }
    return v;
  }

  public static void expectFormat(JsonNode o, String path, String format, int version) {
    String f = text(o, path, "format");
    if (!f.equals(format)) {
      throw new IllegalArgumentException(path + " is a '" + f + "' document, expected '" + format + "'");
    }
    long v = integer(o, path, "version");
    if (v != version) {
      throw new IllegalArgumentException(path + " has version " + v + "; this Veridict reads version " + version);
    }
  }
}
