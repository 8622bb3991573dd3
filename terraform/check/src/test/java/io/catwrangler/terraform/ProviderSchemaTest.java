package io.catwrangler.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catwrangler.terraform.schema.BlockSchema;
import io.catwrangler.terraform.schema.BlockSchema.Argument;
import io.catwrangler.terraform.schema.BlockSchema.Attribute;
import io.catwrangler.terraform.schema.BlockSchema.NestedBlock;
import io.catwrangler.terraform.schema.JsiiManifest;
import io.catwrangler.terraform.schema.ProviderSchema;
import io.catwrangler.terraform.schema.ValueType;
import io.catwrangler.terraform.schema.ValueType.ListOf;
import io.catwrangler.terraform.schema.ValueType.MapOf;
import io.catwrangler.terraform.schema.ValueType.ObjectOf;
import io.catwrangler.terraform.schema.ValueType.Primitive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The schema read out of the jsii manifest says what the provider's documentation says, on resources whose
 * arguments and blocks are well known, including the cases where the bindings' classes and Terraform differ.
 */
class ProviderSchemaTest {
  private static final ProviderSchema AWS = ProviderAws.schema();

  @Test
  void theManifestIsTheAwsProvider6660() {
    assertThat(AWS.source()).isEqualTo("@cdktn/provider-aws@25.7.0");
    assertThat(AWS.providerAddress()).isEqualTo("hashicorp/aws");
    assertThat(AWS.providerVersion()).isEqualTo("6.66.0");
    assertThat(AWS.resources()).hasSize(1725);
    assertThat(AWS.dataSources()).hasSize(683);
  }

  @Test
  void lambdaFunctionArgumentsAndBlocks() {
    BlockSchema lambda = resource("aws_lambda_function");
    assertThat(lambda.argument("function_name")).contains(new Attribute("function_name", true, Primitive.STRING));
    assertThat(lambda.argument("role")).contains(new Attribute("role", true, Primitive.STRING));
    assertThat(lambda.argument("memory_size")).contains(new Attribute("memory_size", false, Primitive.NUMBER));
    assertThat(lambda.argument("publish")).contains(new Attribute("publish", false, Primitive.BOOL));
    assertThat(lambda.argument("layers")).contains(new Attribute("layers", false, new ListOf(Primitive.STRING)));
    assertThat(lambda.argument("tags")).contains(new Attribute("tags", false, new MapOf(Primitive.STRING)));
    NestedBlock environment = block(lambda, "environment");
    assertThat(environment.single()).isTrue();
    assertThat(environment.required()).isFalse();
    assertThat(environment.body().orElseThrow().argument("variables"))
        .contains(new Attribute("variables", false, new MapOf(Primitive.STRING)));
    assertThat(block(lambda, "vpc_config").body().orElseThrow().argument("subnet_ids").orElseThrow().required())
        .isTrue();
    // computed only, not an argument
    assertThat(lambda.argument("arn")).isEmpty();
    assertThat(lambda.argument("qualified_arn")).isEmpty();
  }

  @Test
  void listBlocksSetBlocksAndRequiredBlocks() {
    NestedBlock attribute = block(resource("aws_dynamodb_table"), "attribute");
    assertThat(attribute.single()).isFalse();
    assertThat(attribute.body().orElseThrow().arguments().values()).extracting(Argument::name, Argument::required)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("name", true),
            org.assertj.core.groups.Tuple.tuple("type", true));
    assertThat(block(resource("aws_s3_bucket_server_side_encryption_configuration"), "rule").required()).isTrue();
    NestedBlock statement = block(AWS.type(true, "aws_iam_policy_document").orElseThrow(), "statement");
    NestedBlock condition = block(statement.body().orElseThrow(), "condition");
    assertThat(condition.body().orElseThrow().arguments().values()).allMatch(Argument::required).hasSize(3);
  }

  @Test
  void attributesThatTerraformAlsoTakesAsBlocksAreAttributes() {
    // SDKv2 "attributes as blocks": set(object) attributes, written either way
    Argument ingress = resource("aws_security_group").argument("ingress").orElseThrow();
    assertThat(ingress).isInstanceOf(Attribute.class);
    assertThat(ValueType.acceptsBlocks(((Attribute) ingress).type())).isTrue();
    BlockSchema rule = ((ObjectOf) ((ListOf) ((Attribute) ingress).type()).element()).attributes();
    // the bindings call it selfAttribute; Terraform's name comes from the documentation
    assertThat(rule.argument("self")).contains(new Attribute("self", false, Primitive.BOOL));
    assertThat(resource("aws_default_route_table").argument("route").orElseThrow()).isInstanceOf(Attribute.class);
    // a nested attribute of the plugin framework: written name = { … }, never as a block
    Argument warm = resource("aws_dynamodb_global_secondary_index").argument("warm_throughput").orElseThrow();
    assertThat(((Attribute) warm).type()).isInstanceOf(ObjectOf.class);
    assertThat(block(resource("aws_security_group"), "timeouts").single()).isTrue();
  }

  @Test
  void blocksTheBindingsDoNotDescribeAreTakenAsTheyCome() {
    assertThat(block(resource("aws_quicksight_analysis"), "definition").body()).isEmpty();
  }

  @Test
  void theProviderBlock() {
    assertThat(AWS.provider().argument("region")).contains(new Attribute("region", false, Primitive.STRING));
    assertThat(block(AWS.provider(), "default_tags").body().orElseThrow().argument("tags"))
        .contains(new Attribute("tags", false, new MapOf(Primitive.STRING)));
  }

  @Test
  void aManifestOfAnotherShapeIsRefused() {
    assertThatThrownBy(() -> read("[]")).isInstanceOf(IOException.class).hasMessageContaining("not a jsii manifest");
    assertThatThrownBy(() -> read("{\"name\": \"x\", \"version\": \"1\", \"types\": {}}"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not describe one provider");
    String twoVersions = """
        {"name": "p", "version": "1", "types": {
          "p.A": {"kind": "class", "base": "cdktn.TerraformResource", "docs": {"summary":
            "Represents a {@link https://example.invalid/providers/hashicorp/aws/6.1.0/docs/resources/a aws_a}."},
            "initializer": {"parameters": [{"name": "config", "type": {"fqn": "p.AConfig"}}]}},
          "p.B": {"kind": "class", "base": "cdktn.TerraformResource", "docs": {"summary":
            "Represents a {@link https://example.invalid/providers/hashicorp/aws/6.2.0/docs/resources/b aws_b}."},
            "initializer": {"parameters": [{"name": "config", "type": {"fqn": "p.AConfig"}}]}},
          "p.AConfig": {"kind": "interface", "datatype": true, "properties": []}}}
        """;
    assertThatThrownBy(() -> read(twoVersions)).hasMessageContaining("[6.1.0, 6.2.0]");
  }

  private static ProviderSchema read(String manifest) throws IOException {
    return JsiiManifest.readProviderSchema(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)));
  }

  private static BlockSchema resource(String type) {
    return AWS.type(false, type).orElseThrow(() -> new AssertionError("no resource type " + type));
  }

  private static NestedBlock block(BlockSchema body, String name) {
    Argument argument = body.argument(name).orElseThrow(() -> new AssertionError("no " + name));
    assertThat(argument).as(name).isInstanceOf(NestedBlock.class);
    return (NestedBlock) argument;
  }
}
