package io.catwrangler.detector;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** What the shipped detector may use, checked on its compiled classes: a wrong import that is used fails the build. */
@AnalyzeClasses(packages = "io.catwrangler.detector", importOptions = ImportOption.DoNotIncludeTests.class)
class DetectorBoundariesTest {

  @ArchTest
  static final ArchRule only_the_build_time_conversion_reads_tflite_files = noClasses()
      .that().resideInAPackage("io.catwrangler.detector..")
      .and().resideOutsideOfPackage("io.catwrangler.detector.tflite..")
      .should().dependOnClassesThat().resideInAnyPackage("org.tensorflow.lite..", "com.google.flatbuffers..")
      .because("TFLite's schema classes and flatbuffers are provided-scope (used by ModelConversion at build time):"
          + " neither the catwrangler jar nor classify-fn's zip carries them, so inference code using them would"
          + " fail at run time");

  @ArchTest
  static final ArchRule the_detector_knows_no_runtime = noClasses()
      .that().resideInAPackage("io.catwrangler.detector..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.catwrangler.api..", "io.catwrangler.aws..", "io.catwrangler.local..", "io.catwrangler.ingest..",
          "io.catwrangler.classify..", "io.catwrangler.query..", "java.sql..", "software.amazon..",
          "com.amazonaws..")
      .because("it is core's CatDetector port on ONNX Runtime, used alike by the embedded runtime and classify-fn");
}
