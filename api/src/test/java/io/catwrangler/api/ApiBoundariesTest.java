package io.catwrangler.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The HTTP API is defined once and served by two transports (Jetty embedded, Function URLs on AWS), so it knows
 * neither. Checked on its compiled classes: a wrong import that is used fails the build.
 */
@AnalyzeClasses(packages = "io.catwrangler.api", importOptions = ImportOption.DoNotIncludeTests.class)
class ApiBoundariesTest {

  @ArchTest
  static final ArchRule api_uses_only_core_the_events_jackson_and_the_jdk = classes()
      .that().resideInAPackage("io.catwrangler.api..")
      .should().onlyDependOnClassesThat().resideInAnyPackage(
          "io.catwrangler.api..", "io.catwrangler.core..", "io.catwrangler.events..", "java..",
          "com.fasterxml.jackson..")
      .because("routes call core's use cases; a transport (Jetty, Lambda's events) or an adapter (SQL, an AWS SDK)"
          + " in here would ship with both runtimes");

  @ArchTest
  static final ArchRule api_is_no_server_client_or_store = noClasses()
      .that().resideInAPackage("io.catwrangler.api..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "com.sun.net.httpserver..", "java.net.http..", "java.sql..", "java.nio.file..")
      .because("the API takes an ApiRequest and returns an ApiResponse; sockets, files and databases are the"
          + " transports' and adapters' (decision 0011)");
}
