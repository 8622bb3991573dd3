package io.catwrangler.events;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The event contract is the lowest module: every other one depends on it, so it depends on none of them, and it does
 * no I/O. Checked on its compiled classes: a wrong import that is used fails the build.
 */
@AnalyzeClasses(packages = "io.catwrangler.events", importOptions = ImportOption.DoNotIncludeTests.class)
class EventsBoundariesTest {

  @ArchTest
  static final ArchRule events_use_only_the_jdk_and_jackson = classes()
      .that().resideInAPackage("io.catwrangler.events..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.catwrangler.events..", "java..", "com.fasterxml.jackson..")
      .because("events-schema imports nothing of ours: core, api, the adapters and the functions all build on it");

  @ArchTest
  static final ArchRule events_do_no_io = noClasses()
      .that().resideInAPackage("io.catwrangler.events..")
      .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "java.nio.file..", "java.net.http..")
      .because("events, their codec and the fold are values and functions; stores are adapters");
}
