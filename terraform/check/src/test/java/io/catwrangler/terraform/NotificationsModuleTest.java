package io.catwrangler.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The notifications module (decision 0034) against the code: the projector may put events on the notification bus
 * and nothing else, under the source name the publisher uses, and the environment it gets is exactly what
 * {@code NotifyBus} reads.
 */
class NotificationsModuleTest {
  private static final String QUERY_SOURCES = "query-fn/src/main/java/io/catwrangler/query/";

  private static String source(String file) throws IOException {
    return Files.readString(Hcl.repositoryRoot().resolve(QUERY_SOURCES + file));
  }

  @Test
  void theProjectorMayPutEventsOnTheBusAndNothingElse() throws IOException {
    JsonNode main = Hcl.file("modules/notifications/main.tf");
    List<JsonNode> statements = new ArrayList<>();
    main.path("data").path("aws_iam_policy_document").path("put_events").get(0).path("statement")
        .forEach(statements::add);

    assertThat(statements).singleElement().satisfies(s -> {
      assertThat(s.path("effect").asText("Allow")).isEqualTo("Allow");
      assertThat(s.path("actions").toString()).isEqualTo("[\"events:PutEvents\"]");
      assertThat(s.path("resources").toString())
          .isEqualTo("[\"${aws_cloudwatch_event_bus.notifications.arn}\"]");
      JsonNode condition = s.path("condition").get(0);
      assertThat(condition.path("variable").asText()).isEqualTo("events:source");
      assertThat(condition.path("values").toString()).isEqualTo("[\"${local.source}\"]");
    });
    Matcher constant = Pattern.compile("SOURCE = \"([^\"]+)\"").matcher(source("EventBridgeNotifications.java"));
    assertThat(constant.find()).isTrue();
    assertThat(main.path("locals").get(0).path("source").asText()).isEqualTo(constant.group(1));
    JsonNode attachment = main.path("resource").path("aws_iam_role_policy").path("projector_put_events").get(0);
    assertThat(attachment.path("role").asText()).isEqualTo("${var.projector_role_name}");
    assertThat(Hcl.file("examples/dev/main.tf").path("module").path("notifications").get(0)
        .path("projector_role_name").asText()).isEqualTo("${module.functions.role_names[\"projector\"]}");
  }

  @Test
  void theProjectorGetsExactlyTheVariablesNotifyBusReads() throws IOException {
    Set<String> inTerraform = new TreeSet<>();
    Hcl.file("modules/notifications/main.tf").path("locals").get(0).path("environment").fieldNames()
        .forEachRemaining(inTerraform::add);
    Set<String> inCode = new TreeSet<>();
    Matcher m = Pattern.compile("\"(NOTIFY_[A-Z_]+)\"").matcher(source("NotifyBus.java"));
    while (m.find()) {
      inCode.add(m.group(1));
    }

    assertThat(inCode).containsExactly("NOTIFY_BUS_NAME", "NOTIFY_EACH_IMAGE");
    assertThat(inTerraform).isEqualTo(inCode);
    assertThat(Hcl.file("modules/functions/main.tf").toString())
        .contains("each.key == \\\"projector\\\" ? var.projector_extra_environment : {}");
    assertThat(Hcl.file("examples/dev/main.tf").path("module").path("functions").get(0)
        .path("projector_extra_environment").asText()).contains("module.notifications[0].projector_environment");
  }
}
