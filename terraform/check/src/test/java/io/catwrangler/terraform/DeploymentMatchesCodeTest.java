package io.catwrangler.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.terraform.IamRequirements.Grant;
import io.catwrangler.terraform.IamRequirements.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Terraform deploys what the code is: its handler classes, its CW_* variables, the AWS calls it makes. */
class DeploymentMatchesCodeTest {
  private static final List<String> HANDLER_MODULES = List.of("ingest-fn", "classify-fn", "query-fn");
  private static final Path AWS_SOURCES = Path.of("aws/src/main/java/io/catwrangler/aws");
  /** Creates tables for tests and local experiments; never called by a deployed function. */
  private static final Set<String> NOT_DEPLOYED = Set.of("DynamoDbTables");
  private static final Pattern CW_LITERAL = Pattern.compile("\"(CW_[A-Z0-9_]+)\"");
  private static final Pattern SDK_CLIENT_VARIABLE =
      Pattern.compile("\\b(?:DynamoDbClient|S3Client|SqsClient|RekognitionClient)\\s+(\\w+)\\s*[;,)=]");

  private static JsonNode functionsLocals() {
    return Hcl.file("modules/functions/main.tf").path("locals").get(0);
  }

  @Test
  void handlersAreClassesOfTheHandlerModules() throws IOException {
    JsonNode functions = functionsLocals().path("functions");
    Set<String> keys = new TreeSet<>();
    functions.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).isEqualTo(IamRequirements.FUNCTIONS.keySet());

    for (String key : keys) {
      String module = IamRequirements.FUNCTIONS.get(key).module();
      String handler = functions.path(key).path("handler").asText();
      assertThat(handler).as(key).matches("[a-z][\\w.]*\\.[A-Z]\\w*::handleRequest");
      String className = handler.substring(0, handler.indexOf("::"));
      Path source = Hcl.repositoryRoot().resolve(module).resolve("src/main/java")
          .resolve(className.replace('.', '/') + ".java");
      assertThat(source).as("handler of %s (%s)", key, handler).isRegularFile();
      assertThat(Files.readString(source)).as(source.toString()).contains("handleRequest(");
      assertThat(functions.path(key).path("package").asText())
          .as("zip of " + key).isEqualTo("${var." + module.replace("-fn", "") + "_package}");
    }
  }

  @Test
  void theExampleDeploysTheZipsTheModulesBuild() {
    String main = Hcl.file("examples/dev/main.tf").toString();
    for (String module : HANDLER_MODULES) {
      assertThat(main).contains("/" + module + "/target/" + module + "-lambda.zip");
      assertThat(Hcl.repositoryRoot().resolve(module).resolve("pom.xml")).isRegularFile();
      // built already (the reactor packages the handler modules before this one): the zip has the agreed name
      Path target = Hcl.repositoryRoot().resolve(module).resolve("target");
      if (Files.isDirectory(target)) {
        try (Stream<Path> files = Files.list(target)) {
          List<String> zips = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-lambda.zip"))
              .toList();
          assertThat(zips).as("deployment zips in %s (Terraform expects %s-lambda.zip)", target, module)
              .allMatch(n -> n.equals(module + "-lambda.zip"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  @Test
  void terraformSetsExactlyTheVariablesTheCodeReads() {
    Set<String> inTerraform = new TreeSet<>();
    collectKeys(Hcl.file("modules/functions/main.tf"), "CW_", inTerraform);

    Set<String> inCode = new TreeSet<>();
    List<Path> roots = new ArrayList<>(List.of(Hcl.repositoryRoot().resolve("aws/src/main/java")));
    HANDLER_MODULES.forEach(m -> roots.add(Hcl.repositoryRoot().resolve(m).resolve("src/main/java")));
    for (Path root : roots) {
      for (Path source : javaFiles(root)) {
        Matcher m = CW_LITERAL.matcher(read(source));
        while (m.find()) {
          inCode.add(m.group(1));
        }
      }
    }

    assertThat(inCode).as("CW_* names in aws/ and the handler modules").contains("CW_EVENT_TABLE", "CW_BUCKET");
    assertThat(inTerraform).as("set by Terraform but read by no code").isSubsetOf(inCode);
    assertThat(inCode).as("read by the code but not set by Terraform").isSubsetOf(inTerraform);
  }

  @Test
  void theSdkCallsOfEachAdapterAreThoseListed() {
    Map<String, Set<String>> found = new TreeMap<>();
    List<Path> sources = new ArrayList<>(javaFiles(Hcl.repositoryRoot().resolve(AWS_SOURCES)));
    for (Path source : sources) {
      String adapter = source.getFileName().toString().replace(".java", "");
      Set<String> calls = sdkCalls(read(source));
      if (!calls.isEmpty() && !NOT_DEPLOYED.contains(adapter)) {
        found.put(adapter, calls);
      }
    }
    Set<String> listed = IamRequirements.OPERATIONS.stream().map(IamRequirements.Operation::adapter)
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(found.keySet()).as("adapters that call AWS").isEqualTo(listed);
    for (String adapter : listed) {
      assertThat(found.get(adapter)).as("SDK calls of %s (update IamRequirements)", adapter)
          .isEqualTo(IamRequirements.sdkCalls(adapter));
    }
  }

  @Test
  void eachFunctionIsAllowedExactlyWhatItsCodeCalls() {
    JsonNode policies = Hcl.file("modules/functions/iam.tf");
    JsonNode locals = policies.path("locals").get(0).path("policies");
    for (String function : IamRequirements.FUNCTIONS.keySet()) {
      assertThat(locals.path(function).asText())
          .isEqualTo("${data.aws_iam_policy_document." + function + ".json}");
      JsonNode document = policies.path("data").path("aws_iam_policy_document").path(function).get(0);
      assertThat(document).as("policy document of " + function).isNotNull();

      Set<Grant> granted = grants(document, function);

      Set<Grant> required = IamRequirements.required(function);
      assertThat(difference(required, granted)).as("%s: missing from its Terraform policy", function).isEmpty();
      assertThat(difference(granted, required)).as("%s: granted but not used by its code", function).isEmpty();
    }
  }

  @Test
  void handlerModulesUseOnlyAdaptersTheirFunctionsAreGranted() {
    Set<String> adapters = IamRequirements.OPERATIONS.stream().map(IamRequirements.Operation::adapter)
        .collect(Collectors.toSet());
    for (String module : HANDLER_MODULES) {
      Path root = Hcl.repositoryRoot().resolve(module).resolve("src/main/java");
      assertThat(root).as(module + " sources").isDirectory();
      Set<String> granted = IamRequirements.FUNCTIONS.values().stream().filter(f -> f.module().equals(module))
          .flatMap(f -> f.operations().stream()).map(id -> id.substring(0, id.indexOf('.')))
          .collect(Collectors.toCollection(TreeSet::new));
      Set<String> used = new TreeSet<>();
      for (Path source : javaFiles(root)) {
        String text = read(source);
        adapters.stream().filter(a -> Pattern.compile("\\b" + a + "\\b").matcher(text).find()).forEach(used::add);
      }
      Set<String> wiredOnly = IamRequirements.WIRED_NOT_CALLED.getOrDefault(module, Map.of()).keySet();
      Set<String> allowed = new TreeSet<>(granted);
      allowed.addAll(wiredOnly);
      assertThat(used).as("adapters %s uses (add their operations to IamRequirements.FUNCTIONS)", module)
          .isSubsetOf(allowed);
      assertThat(wiredOnly).as("IamRequirements.WIRED_NOT_CALLED of %s that it no longer refers to", module)
          .isSubsetOf(used);
    }
  }

  /** The grants of one policy document, static and dynamic statements alike, with resources recognised. */
  private static Set<Grant> grants(JsonNode document, String function) {
    List<JsonNode> statements = new ArrayList<>();
    document.path("statement").forEach(statements::add);
    document.path("dynamic").path("statement").forEach(d -> d.path("content").forEach(statements::add));
    Set<Grant> grants = new TreeSet<>();
    for (JsonNode statement : statements) {
      String sid = statement.path("sid").asText();
      assertThat(statement.path("effect").asText("Allow")).as(sid).isEqualTo("Allow");
      assertThat(statement.has("not_actions") || statement.has("not_resources")).as(sid).isFalse();
      for (JsonNode action : statement.path("actions")) {
        assertThat(action.asText()).as("%s in %s", sid, function).matches("[a-z0-9]+:[A-Za-z]+");
        for (JsonNode resource : statement.path("resources")) {
          grants.add(new Grant(action.asText(), resource(resource.asText(), function)));
        }
      }
    }
    return grants;
  }

  private static Resource resource(String expression, String function) {
    return switch (expression) {
      case "*" -> Resource.ANY;
      case "${var.bucket_arn}" -> Resource.BUCKET;
      case "${var.bucket_arn}/incoming/*" -> Resource.INCOMING_OBJECTS;
      case "${var.bucket_arn}/images/*" -> Resource.IMAGE_OBJECTS;
      case "${var.event_table_arn}" -> Resource.EVENT_TABLE;
      case "${var.event_stream_arn}", "${var.event_table_arn}/stream/*" -> Resource.EVENT_STREAM;
      case "${var.view_table_arn}" -> Resource.VIEW_TABLE;
      case "${var.idempotency_table_arn}" -> Resource.IDEMPOTENCY_TABLE;
      case "${var.classify_queue_arn}" -> Resource.CLASSIFY_QUEUE;
      case "${var.stream_failure_queue_arn}" -> Resource.STREAM_FAILURE_QUEUE;
      default -> {
        if (expression.equals("${aws_cloudwatch_log_group.function[\"" + function + "\"].arn}:*")) {
          yield Resource.OWN_LOG_GROUP;
        }
        throw new AssertionError(
            "policy of " + function + " names a resource the check does not know: " + expression
                + " (least privilege cannot be verified; extend DeploymentMatchesCodeTest.resource)");
      }
    };
  }

  private static Set<String> sdkCalls(String source) {
    Set<String> variables = new TreeSet<>();
    Matcher declared = SDK_CLIENT_VARIABLE.matcher(source);
    while (declared.find()) {
      variables.add(declared.group(1));
    }
    Set<String> calls = new TreeSet<>();
    for (String variable : variables) {
      Matcher call = Pattern.compile("\\b" + variable + "\\s*\\.\\s*(\\w+)\\s*\\(").matcher(source);
      while (call.find()) {
        if (!call.group(1).equals("close")) {
          calls.add(call.group(1));
        }
      }
    }
    return calls;
  }

  private static void collectKeys(JsonNode node, String prefix, Set<String> into) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        if (e.getKey().startsWith(prefix)) {
          into.add(e.getKey());
        }
        collectKeys(e.getValue(), prefix, into);
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectKeys(n, prefix, into));
    }
  }

  private static <T extends Comparable<T>> Set<T> difference(Set<T> a, Set<T> b) {
    Set<T> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }

  private static List<Path> javaFiles(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
