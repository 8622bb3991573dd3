package io.catwrangler.classify;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** classify-fn's handler, checked on its compiled classes: a wrong import that is used fails the build. */
@AnalyzeClasses(packages = "io.catwrangler.classify", importOptions = ImportOption.DoNotIncludeTests.class)
class ClassifyBoundariesTest {

  @ArchTest
  static final ArchRule classify_uses_no_other_function_or_the_embedded_runtime = noClasses()
      .that().resideInAPackage("io.catwrangler.classify..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.catwrangler.ingest..", "io.catwrangler.query..", "io.catwrangler.local..")
      .because("each function's zip is built from its own module: what two functions share lives in aws, api or"
          + " core (FunctionModulesStandAloneTest holds the poms to the same)");

  @ArchTest
  static final ArchRule classify_serves_no_http = noClasses()
      .that().resideInAPackage("io.catwrangler.classify..")
      .should().dependOnClassesThat().resideInAnyPackage("io.catwrangler.api..")
      .orShould().dependOnClassesThat().haveSimpleName("FunctionUrlApi")
      .because("classify-fn reads SQS batches and has no URL: its work is core's ClassifyImages and AdmitImage");
}
