package io.catwrangler.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The embedded runtime's adapters each in their package, checked on the compiled classes: a wrong import that is
 * used fails the build.
 */
@AnalyzeClasses(packages = "io.catwrangler.local", importOptions = ImportOption.DoNotIncludeTests.class)
class LocalBoundariesTest {

  @ArchTest
  static final ArchRule only_the_embedded_server_uses_jetty = noClasses()
      .that().resideInAPackage("io.catwrangler.local..")
      .and().resideOutsideOfPackage("io.catwrangler.local.http..")
      .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..")
      .because("local/http turns Jetty's requests into the api module's ApiRequest; nothing else serves HTTP");

  @ArchTest
  static final ArchRule only_the_sqlite_adapters_use_the_sqlite_driver = noClasses()
      .that().resideInAPackage("io.catwrangler.local..")
      .and().resideOutsideOfPackage("io.catwrangler.local.sqlite..")
      .should().dependOnClassesThat().resideInAPackage("org.sqlite..")
      .because("SQLite's own types (its config, its error codes) stay behind local/sqlite's adapters of core's"
          + " ports");

  @ArchTest
  static final ArchRule the_embedded_runtime_uses_no_function = noClasses()
      .that().resideInAPackage("io.catwrangler.local..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.catwrangler.aws..", "io.catwrangler.ingest..", "io.catwrangler.classify..", "io.catwrangler.query..")
      .because("the catwrangler jar carries no Lambda or AWS adapter code; --aws only signs requests (AWS SDK auth)");
}
