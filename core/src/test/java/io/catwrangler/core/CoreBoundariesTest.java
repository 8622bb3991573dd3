package io.catwrangler.core;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.catwrangler.core.port.ClassifyRequestCodec;
import io.catwrangler.core.quality.MeasureQuality;
import io.catwrangler.core.quality.ModelQuality;

/**
 * What core may use, checked on its compiled classes (a wrong import that is used fails the build): the use cases
 * and their ports need the events and the JDK, nothing that talks to the outside, and no HTTP.
 */
@AnalyzeClasses(packages = "io.catwrangler.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreBoundariesTest {

  @ArchTest
  static final ArchRule core_uses_only_itself_the_events_and_the_jdk = classes()
      .that().resideInAPackage("io.catwrangler.core..")
      .should().onlyDependOnClassesThat()
      .resideInAnyPackage("io.catwrangler.core..", "io.catwrangler.events..", "java..", "com.fasterxml.jackson..")
      .because("core holds use cases and ports; HTTP is the api module's, adapters are aws's and local's");

  @ArchTest
  static final ArchRule core_reaches_no_database_file_network_or_decoder = noClasses()
      .that().resideInAPackage("io.catwrangler.core..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "java.sql..", "java.nio.file..", "java.net.http..", "com.sun.net.httpserver..", "javax.imageio..",
          "java.awt..")
      .because("talking to the outside is an adapter's job, and image checks read headers, never decode"
          + " (decisions 0005, 0026)");

  @ArchTest
  static final ArchRule only_the_classify_message_is_json_in_core = noClasses()
      .that().resideInAPackage("io.catwrangler.core..")
      .and().doNotBelongToAnyOf(ClassifyRequestCodec.class)
      .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..")
      .because("the JSON of events is events-schema's, the JSON of answers the api module's; core writes only the"
          + " classify request both runtimes queue");

  @ArchTest
  static final ArchRule ports_depend_on_no_use_case = noClasses()
      .that().resideInAnyPackage("io.catwrangler.core.port..", "io.catwrangler.core.detection..")
      .should().dependOnClassesThat(
          resideInAnyPackage("io.catwrangler.core.classify..", "io.catwrangler.core.ingest..",
              "io.catwrangler.core.label..", "io.catwrangler.core.notify..", "io.catwrangler.core.projection..",
              "io.catwrangler.core.query..", "io.catwrangler.core.replay..")
          .or(belongToAnyOf(MeasureQuality.class, ModelQuality.class)))
      .because("a port is what a use case needs from outside, so adapters implement it without the use cases;"
          + " what a view counts for quality (LabelTally, Confusion) is a value, not the use case");
}
