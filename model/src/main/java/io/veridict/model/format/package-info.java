/**
 * Model file importers: XGBoost JSON, ONNX (pure-Java protobuf, no native runtime) and Veridict's
 * scorecard JSON, read into the float models of {@link io.veridict.model}; and {@link
 * io.veridict.model.format.CsvDataset}, a labelled CSV dataset reader for accuracy reports.
 *
 * <p>Entry point: {@link io.veridict.model.format.ModelImporter}. Errors are {@link
 * io.veridict.model.format.ModelImportException} with a typed reason; nothing unsupported is
 * approximated. Formats and semantics: docs/model-formats.md.
 */
package io.veridict.model.format;
