package io.catwrangler.aws;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The AWS adapters and the Function URL translation the three functions share. Checked on its compiled classes: a
 * wrong import that is used fails the build.
 */
@AnalyzeClasses(packages = "io.catwrangler.aws", importOptions = ImportOption.DoNotIncludeTests.class)
class AwsBoundariesTest {

  @ArchTest
  static final ArchRule aws_knows_no_embedded_runtime_detector_or_function = noClasses()
      .that().resideInAPackage("io.catwrangler.aws..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.catwrangler.local..", "io.catwrangler.detector..", "io.catwrangler.ingest..",
          "io.catwrangler.classify..", "io.catwrangler.query..")
      .because("every function's zip carries aws: the embedded runtime, the ONNX detector (classify-fn brings it"
          + " itself) or another function in here would ship in all three");

  @ArchTest
  static final ArchRule only_the_function_url_translation_knows_lambda_events = noClasses()
      .that().resideInAPackage("io.catwrangler.aws..")
      .and().doNotBelongToAnyOf(FunctionUrlApi.class)
      .should().dependOnClassesThat().resideInAPackage("com.amazonaws.services.lambda..")
      .because("the adapters are the AWS SDK behind core's ports; Lambda's event types belong to the handlers and"
          + " to FunctionUrlApi, which turns a Function URL event into an ApiRequest");
}
