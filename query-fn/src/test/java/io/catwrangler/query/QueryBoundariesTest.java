package io.catwrangler.query;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * query-fn's handlers (the query routes and the stream projector), checked on their compiled classes: a wrong import
 * that is used fails the build. Its tests wire ingest-fn and classify-fn in (the end-to-end test); its code does not.
 */
@AnalyzeClasses(packages = "io.catwrangler.query", importOptions = ImportOption.DoNotIncludeTests.class)
class QueryBoundariesTest {

  @ArchTest
  static final ArchRule query_uses_no_other_function_the_embedded_runtime_or_the_detector = noClasses()
      .that().resideInAPackage("io.catwrangler.query..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.catwrangler.ingest..", "io.catwrangler.classify..", "io.catwrangler.local..",
          "io.catwrangler.detector..")
      .because("each function's zip is built from its own module: what two functions share lives in aws, api or"
          + " core (FunctionModulesStandAloneTest holds the poms to the same)");
}
