package io.catwrangler.ingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** ingest-fn's handlers, checked on their compiled classes: a wrong import that is used fails the build. */
@AnalyzeClasses(packages = "io.catwrangler.ingest", importOptions = ImportOption.DoNotIncludeTests.class)
class IngestBoundariesTest {

  @ArchTest
  static final ArchRule ingest_uses_no_other_function_the_embedded_runtime_or_the_detector = noClasses()
      .that().resideInAPackage("io.catwrangler.ingest..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.catwrangler.classify..", "io.catwrangler.query..", "io.catwrangler.local..",
          "io.catwrangler.detector..")
      .because("each function's zip is built from its own module: what two functions share lives in aws, api or"
          + " core (FunctionModulesStandAloneTest holds the poms to the same)");
}
