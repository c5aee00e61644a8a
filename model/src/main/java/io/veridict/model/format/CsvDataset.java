package io.veridict.model.format;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A labelled dataset read from CSV (RFC 4180: header row, comma separator, double-quoted fields
 * with {@code ""} escapes, LF or CRLF line ends, optional UTF-8 BOM).
 *
 * <p>Feature cells are decimal numbers; an empty cell, {@code NA}, {@code NaN} or {@code ?} is a
 * missing value ({@code Double.NaN}). The label cell is compared, after trimming, with the
 * positive value: equal → 1, anything else → 0.
 *
 * @param featureNames the feature columns, in model input order
 * @param features {@code [row][feature]}
 * @param labels one 0/1 label per row
 */
public record CsvDataset(List<String> featureNames, double[][] features, int[] labels) {
  /** Bounds what a hostile file can make the reader hold. */
  public static final int MAX_ROWS = 5_000_000;

  public static final int MAX_COLUMNS = 1 << 14;
  private static final int MAX_FIELD_CHARS = 1 << 12;
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  public CsvDataset {
    featureNames = List.copyOf(featureNames);
  }

  /** Number of rows. */
  public int rows() {
    return features.length;
  }

  /**
   * Reads {@code csv}, taking the columns named {@code featureNames} in that order, or — when
   * {@code featureNames} is null — every column except the label, in file order.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the row and column of the first problem (a missing
   *     column, a bad number, a ragged row, a size bound)
   */
  public static CsvDataset read(Path csv, String labelColumn, String positiveValue, List<String> featureNames)
      throws IOException {
    try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      return read(r, labelColumn, positiveValue, featureNames);
    }
  }

  /** As {@link #read(Path, String, String, List)}, from a reader. */
  public static CsvDataset read(Reader in, String labelColumn, String positiveValue, List<String> featureNames)
      throws IOException {
    Records rec = new Records(in);
    List<String> header = rec.next();
    if (header == null) {
      throw new IllegalArgumentException("empty file: need a header row");
    }
    if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
      header.set(0, header.get(0).substring(1));
    }
    Map<String, Integer> col = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      if (col.put(header.get(i).trim(), i) != null) {
        throw new IllegalArgumentException("header repeats column '" + header.get(i).trim() + "'");
      }
    }
    Integer labelIdx = col.get(labelColumn);
    if (labelIdx == null) {
      throw new IllegalArgumentException("no label column '" + labelColumn + "' in the header");
    }
    List<String> names = new ArrayList<>();
    if (featureNames == null) {
      for (String h : header) {
        if (!h.trim().equals(labelColumn)) {
          names.add(h.trim());
        }
      }
    } else {
      names.addAll(featureNames);
    }
    int[] idx = new int[names.size()];
    for (int f = 0; f < idx.length; f++) {
      Integer c = col.get(names.get(f));
      if (c == null) {
        throw new IllegalArgumentException("no column '" + names.get(f) + "' (a model feature) in the header");
      }
      if (c.equals(labelIdx)) {
        throw new IllegalArgumentException("feature '" + names.get(f) + "' is the label column");
      }
      idx[f] = c;
    }
    List<double[]> xs = new ArrayList<>();
    List<Integer> ys = new ArrayList<>();
    String positive = positiveValue.trim();
    List<String> row;
    int line = 1;
    while ((row = rec.next()) != null) {
      line++;
      if (row.size() == 1 && row.get(0).isEmpty()) {
        continue; // blank line
      }
      if (row.size() != header.size()) {
        throw new IllegalArgumentException("row " + line + " has " + row.size() + " fields; the header has " + header.size());
      }
      if (xs.size() >= MAX_ROWS) {
        throw new IllegalArgumentException("more than " + MAX_ROWS + " rows");
      }
      double[] x = new double[idx.length];
      for (int f = 0; f < idx.length; f++) {
        x[f] = parse(row.get(idx[f]).trim(), line, names.get(f));
      }
      xs.add(x);
      ys.add(row.get(labelIdx).trim().equals(positive) ? 1 : 0);
    }
    return new CsvDataset(names, xs.toArray(new double[0][]), ys.stream().mapToInt(Integer::intValue).toArray());
  }

  private static double parse(String s, int line, String column) {
    if (s.isEmpty() || s.equals("NA") || s.equals("NaN") || s.equals("nan") || s.equals("?")) {
      return Double.NaN;
    }
    if (!NUMBER.matcher(s).matches()) {
      throw new IllegalArgumentException("row " + line + " column '" + column + "': '"
          + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "' is not a decimal number");
    }
    double v = Double.parseDouble(s);
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("row " + line + " column '" + column + "': " + s + " overflows a double");
    }
    return v;
  }

  /** RFC 4180 record splitter. */
  private static final class Records {
    private final Reader in;
    private int peeked = -2;

    Records(Reader in) {
      this.in = in;
    }

    private int read() throws IOException {
      if (peeked != -2) {
        int c = peeked;
        peeked = -2;
        return c;
      }
      return in.read();
    }

    /** The next record, or null at end of input. */
    List<String> next() throws IOException {
      int c = read();
      if (c == -1) {
        return null;
      }
      List<String> fields = new ArrayList<>();
      StringBuilder f = new StringBuilder();
      boolean quoted = false;
      boolean wasQuoted = false;
      while (true) {
        if (c == -1) {
          if (quoted) {
            throw new IllegalArgumentException("unterminated quoted field at end of file");
          }
          fields.add(f.toString());
          return fields;
        }
        if (quoted) {
          if (c == '"') {
            int d = read();
            if (d == '"') {
              f.append('"');
            } else {
              quoted = false;
              peeked = d;
            }
          } else {
            f.append((char) c);
          }
        } else if (c == '"' && f.isEmpty() && !wasQuoted) {
          quoted = true;
          wasQuoted = true;
        } else if (c == ',') {
          fields.add(f.toString());
          f.setLength(0);
          wasQuoted = false;
          if (fields.size() > MAX_COLUMNS) {
            throw new IllegalArgumentException("more than " + MAX_COLUMNS + " columns");
          }
        } else if (c == '\n' || c == '\r') {
          if (c == '\r') {
            int d = read();
            if (d != '\n') {
              peeked = d;
            }
          }
          fields.add(f.toString());
          return fields;
        } else {
          f.append((char) c);
        }
        if (f.length() > MAX_FIELD_CHARS) {
          throw new IllegalArgumentException("a field longer than " + MAX_FIELD_CHARS + " characters");
        }
        c = read();
      }
    }
  }
}
