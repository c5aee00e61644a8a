package io.veridict.model.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Locates the committed model fixtures and the shared datasets (../shared/datasets). */
public final class Fixtures {
  private Fixtures() {}

  public static Path fixture(String name) {
    Path p = Paths.get("src/test/resources/fixtures", name).toAbsolutePath();
    if (!Files.exists(p)) {
      throw new IllegalStateException("missing fixture " + p);
    }
    return p;
  }

  /**
   * The shared datasets: $VERIDICT_DATASETS, or the first {@code shared/datasets} found walking up
   * from the working directory (the repository sits beside {@code shared} in CI and here). Fails
   * rather than skips: the fidelity tests are the point.
   */
  public static Path dataset(String name) {
    String env = System.getenv("VERIDICT_DATASETS");
    if (env != null && Files.exists(Paths.get(env, name))) {
      return Paths.get(env, name);
    }
    for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("shared/datasets").resolve(name);
      if (Files.exists(p)) {
        return p;
      }
    }
    throw new IllegalStateException("dataset " + name + " not found: put the shared directory beside the "
        + "repository (../shared/datasets) or set VERIDICT_DATASETS");
  }

  /** A library prediction file: columns row,label,margin,prediction. */
  record Prediction(int row, int label, double margin, double prediction) {}

  static List<Prediction> predictions(String name) {
    try {
      List<String> lines = Files.readAllLines(fixture(name));
      if (!lines.get(0).equals("row,label,margin,prediction")) {
        throw new IllegalStateException("unexpected header in " + name);
      }
      List<Prediction> out = new ArrayList<>();
      for (String l : lines.subList(1, lines.size())) {
        String[] f = l.split(",");
        out.add(new Prediction(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
            Double.parseDouble(f[2]), Double.parseDouble(f[3])));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
