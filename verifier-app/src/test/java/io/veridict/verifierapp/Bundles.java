package io.veridict.verifierapp;

import io.veridict.core.proof.ProofOptions;
import io.veridict.model.Context;
import io.veridict.model.DecisionProver;
import io.veridict.model.ModelPackage;
import io.veridict.model.Policy;
import io.veridict.model.Quantizer;
import io.veridict.model.format.ImportedModel;
import io.veridict.model.format.ModelFormat;
import io.veridict.model.format.ModelImporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.OptionalDouble;

/** Makes a real decision bundle (standard profile, ZK) from a two-feature scorecard. */
final class Bundles {
  static final String CARD = """
      {"format":"veridict-scorecard","version":1,"name":"t","base_score":600,"cutoff":620,
       "features":[{"name":"a","bins":[{"upper":10,"points":20},{"upper":null,"points":-5}]},
                   {"name":"b","bins":[{"upper":0.5,"points":-10},{"upper":null,"points":15}]}]}
      """;

  private Bundles() {}

  record Made(Path bundle, String modelCommitment) {}

  static Made make(Path dir) throws Exception {
    return make(dir, 620, "a.bundle.json");
  }

  /** The applicant scores 635: at {@code threshold} 635 the decision is within the quantization error. */
  static Made make(Path dir, double threshold, String file) throws Exception {
    ImportedModel im = ModelImporter.importBytes(CARD.getBytes(StandardCharsets.UTF_8), ModelFormat.SCORECARD_JSON);
    ModelPackage pkg = ModelPackage.create(Quantizer.quantize(im.model(), new double[] {100, 10}), "t",
        "scorecard-json", im.sourceSha256(), OptionalDouble.of(620), new SecureRandom());
    var res = DecisionProver.create(ProofOptions.standard()).prove(pkg, new double[] {3, 0.9},
        new Policy(threshold, Policy.Direction.AT_LEAST),
        new Context(1, "0x00000000000000000000000000000000000a11ce", "p1", "n1", 0));
    Path b = dir.resolve(file);
    Files.write(b, res.bundle().toJsonBytes());
    return new Made(b, pkg.description().modelCommitment());
  }
}
