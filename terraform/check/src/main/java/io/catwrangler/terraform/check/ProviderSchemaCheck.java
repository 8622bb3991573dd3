package io.catwrangler.terraform.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.catwrangler.terraform.schema.BlockSchema;
import io.catwrangler.terraform.schema.BlockSchema.Argument;
import io.catwrangler.terraform.schema.BlockSchema.Attribute;
import io.catwrangler.terraform.schema.BlockSchema.NestedBlock;
import io.catwrangler.terraform.schema.ProviderSchema;
import io.catwrangler.terraform.schema.ValueType;
import io.catwrangler.terraform.schema.ValueType.ListOf;
import io.catwrangler.terraform.schema.ValueType.MapOf;
import io.catwrangler.terraform.schema.ValueType.ObjectOf;
import io.catwrangler.terraform.schema.ValueType.Primitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks Terraform files against a provider's schema, as {@code terraform validate} would with the provider at hand:
 * every {@code resource}, {@code data} and {@code provider} block of the provider (its arguments, nested and
 * {@code dynamic} blocks, at any depth) for unknown types, arguments and blocks, missing required ones, a block
 * written as an argument or an argument as a block, and literal values of the wrong type; and every
 * {@code required_providers} entry of the provider for a version constraint that admits the schema's version.
 * Values computed from expressions are not checked: they are known at plan time only.
 */
public final class ProviderSchemaCheck {
  private static final Set<String> RESOURCE_META = Set.of("count", "for_each", "provider", "depends_on", "lifecycle",
      "connection", "provisioner");
  private static final Set<String> DATA_META = Set.of("count", "for_each", "provider", "depends_on", "lifecycle");
  private static final Set<String> PROVIDER_META = Set.of("alias", "version");
  private static final Set<String> DYNAMIC_ARGUMENTS = Set.of("for_each", "iterator", "labels", "content");

  private final ProviderSchema schema;
  /** The provider's local name in blocks ({@code aws} for {@code hashicorp/aws}). */
  private final String localName;

  public ProviderSchemaCheck(ProviderSchema schema) {
    this.schema = schema;
    this.localName = schema.providerAddress().substring(schema.providerAddress().lastIndexOf('/') + 1);
  }

  /** One problem, where it is. */
  public record Finding(String file, int line, String address, String problem) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + address + ": " + problem;
    }
  }

  /**
   * The problems in one file.
   *
   * @param file   its name, for the findings
   * @param json   the file as {@code hcl2json} converts it
   * @param syntax the same file's {@link HclSyntax}
   */
  public List<Finding> check(String file, JsonNode json, HclSyntax syntax) {
    FileCheck check = new FileCheck(file, syntax);
    check.blocks(json, "resource", false);
    check.blocks(json, "data", true);
    JsonNode providers = json.path("provider").path(localName);
    for (int i = 0; i < providers.size(); i++) {
      check.body(schema.provider(), providers.get(i), "/provider/" + localName + "/" + i, "provider." + localName,
          "", PROVIDER_META);
    }
    check.requiredProviders(json);
    return check.findings;
  }

  private final class FileCheck {
    private final String file;
    private final HclSyntax syntax;
    private final List<Finding> findings = new ArrayList<>();

    FileCheck(String file, HclSyntax syntax) {
      this.file = file;
      this.syntax = syntax;
    }

    void blocks(JsonNode json, String keyword, boolean data) {
      for (Map.Entry<String, JsonNode> type : json.path(keyword).properties()) {
        for (Map.Entry<String, JsonNode> named : type.getValue().properties()) {
          JsonNode bodies = named.getValue();
          for (int i = 0; i < bodies.size(); i++) {
            String pointer = "/" + keyword + "/" + HclSyntax.segment(type.getKey()) + "/"
                + HclSyntax.segment(named.getKey()) + "/" + i;
            String address = (data ? "data." : "") + type.getKey() + "." + named.getKey();
            Optional<BlockSchema> body = schema.type(data, type.getKey());
            if (body.isEmpty()) {
              report(pointer, address, "The provider " + provider() + " does not support "
                  + (data ? "data source" : "resource type") + " \"" + type.getKey() + "\".");
            } else {
              body(body.get(), bodies.get(i), pointer, address, "", data ? DATA_META : RESOURCE_META);
            }
          }
        }
      }
    }

    /** The arguments and blocks of one body; {@code path} is where it is in the resource ({@code "vpc_config."}). */
    void body(BlockSchema schema, JsonNode body, String pointer, String address, String path, Set<String> meta) {
      for (Map.Entry<String, JsonNode> field : body.properties()) {
        String name = field.getKey();
        String at = pointer + "/" + HclSyntax.segment(name);
        boolean written = syntax.isArgument(at);
        if (meta.contains(name)) {
          continue;
        }
        if (name.equals("dynamic") && !written) {
          dynamicBlocks(schema, field.getValue(), at, address, path);
          continue;
        }
        Optional<Argument> argument = schema.argument(name);
        if (argument.isEmpty()) {
          report(at, address, written
              ? "An argument named \"" + path + name + "\" is not expected here."
              : "Blocks of type \"" + path + name + "\" are not expected here.");
        } else if (argument.get() instanceof NestedBlock block) {
          if (written) {
            report(at, address, "An argument named \"" + path + name + "\" is not expected here: it is a block, "
                + "write " + name + " { … }.");
          } else {
            nestedBlocks(block, field.getValue(), at, address, path + name + ".");
          }
        } else {
          Attribute attribute = (Attribute) argument.get();
          if (written) {
            value(attribute.type(), field.getValue(), at, address, path + name);
          } else if (ValueType.acceptsBlocks(attribute.type())) {
            BlockSchema element = ((ObjectOf) ((ListOf) attribute.type()).element()).attributes();
            JsonNode blocks = field.getValue();
            for (int i = 0; i < blocks.size(); i++) {
              body(element, blocks.get(i), at + "/" + i, address, path + name + ".", Set.of());
            }
          } else {
            report(at, address, "Blocks of type \"" + path + name + "\" are not expected here: it is an argument, "
                + "write " + name + " = ….");
          }
        }
      }
      JsonNode dynamic = syntax.isArgument(pointer + "/dynamic") ? null : body.get("dynamic");
      for (Argument argument : schema.arguments().values()) {
        boolean given = body.has(argument.name()) || (dynamic != null && dynamic.has(argument.name()));
        if (argument.required() && !given) {
          report(pointer, address, argument instanceof NestedBlock
              ? "At least 1 \"" + path + argument.name() + "\" block is required."
              : "The argument \"" + path + argument.name() + "\" is required, but no definition was found.");
        }
      }
    }

    private void nestedBlocks(NestedBlock block, JsonNode blocks, String at, String address, String path) {
      if (block.single() && blocks.size() > 1) {
        report(at + "/1", address, "No more than 1 \"" + path.substring(0, path.length() - 1)
            + "\" block is allowed.");
      }
      if (block.body().isPresent()) {
        for (int i = 0; i < blocks.size(); i++) {
          body(block.body().get(), blocks.get(i), at + "/" + i, address, path, Set.of());
        }
      }
    }

    /** {@code dynamic "name" { for_each = …  content { … } }}: the content is checked as a block {@code name}. */
    private void dynamicBlocks(BlockSchema schema, JsonNode dynamics, String at, String address, String path) {
      for (Map.Entry<String, JsonNode> labelled : dynamics.properties()) {
        String name = labelled.getKey();
        JsonNode blocks = labelled.getValue();
        for (int i = 0; i < blocks.size(); i++) {
          String pointer = at + "/" + HclSyntax.segment(name) + "/" + i;
          JsonNode dynamic = blocks.get(i);
          Optional<BlockSchema> content = dynamicContent(schema.argument(name), pointer, address, path + name);
          for (Map.Entry<String, JsonNode> field : dynamic.properties()) {
            if (!DYNAMIC_ARGUMENTS.contains(field.getKey())) {
              report(pointer + "/" + HclSyntax.segment(field.getKey()), address, "dynamic \"" + path + name
                  + "\": \"" + field.getKey() + "\" is not expected here (for_each, iterator, labels, content).");
            }
          }
          for (String required : List.of("for_each", "content")) {
            if (!dynamic.has(required)) {
              report(pointer, address, "dynamic \"" + path + name + "\": \"" + required + "\" is required.");
            }
          }
          JsonNode contents = dynamic.path("content");
          if (syntax.isArgument(pointer + "/content")) {
            report(pointer + "/content", address, "dynamic \"" + path + name + "\": content is a block, "
                + "write content { … }.");
          } else if (content.isPresent()) {
            for (int k = 0; k < contents.size(); k++) {
              body(content.get(), contents.get(k), pointer + "/content/" + k, address, path + name + ".", Set.of());
            }
          }
        }
      }
    }

    /** What the content of a dynamic block must hold; empty when not described, or reported as not a block. */
    private Optional<BlockSchema> dynamicContent(Optional<Argument> argument, String pointer, String address,
        String name) {
      if (argument.isEmpty()) {
        report(pointer, address, "Blocks of type \"" + name + "\" are not expected here.");
        return Optional.empty();
      }
      if (argument.get() instanceof NestedBlock block) {
        return block.body();
      }
      Attribute attribute = (Attribute) argument.get();
      if (ValueType.acceptsBlocks(attribute.type())) {
        return Optional.of(((ObjectOf) ((ListOf) attribute.type()).element()).attributes());
      }
      report(pointer, address, "Blocks of type \"" + name + "\" are not expected here: it is an argument, "
          + "write " + name.substring(name.lastIndexOf('.') + 1) + " = ….");
      return Optional.empty();
    }

    /** A value against its type, where it is a literal: references and function calls are known at plan only. */
    private void value(ValueType type, JsonNode value, String at, String address, String name) {
      if (value.isNull() || (value.isTextual() && isExpression(value.asText())) || type == Primitive.ANY) {
        return;
      }
      String wrong = null;
      if (type == Primitive.STRING) {
        wrong = value.isContainerNode() ? "a string is required" : null;
      } else if (type == Primitive.NUMBER) {
        boolean number = value.isNumber() || (value.isTextual() && isNumber(value.asText()));
        wrong = number ? null : "a number is required";
      } else if (type == Primitive.BOOL) {
        boolean bool = value.isBoolean() || (value.isTextual() && Set.of("true", "false").contains(value.asText()));
        wrong = bool ? null : "a bool is required";
      } else if (type instanceof ListOf list) {
        if (value.isArray()) {
          for (int i = 0; i < value.size(); i++) {
            value(list.element(), value.get(i), at + "/" + i, address, name + "[" + i + "]");
          }
        } else {
          wrong = "a list is required";
        }
      } else if (type instanceof MapOf map) {
        if (value.isObject()) {
          for (Map.Entry<String, JsonNode> entry : value.properties()) {
            value(map.element(), entry.getValue(), at + "/" + HclSyntax.segment(entry.getKey()), address,
                name + "[\"" + entry.getKey() + "\"]");
          }
        } else {
          wrong = "a map is required";
        }
      } else if (type instanceof ObjectOf object) {
        wrong = value.isObject() ? null : "an object is required";
        if (value.isObject()) {
          objectValue(object.attributes(), value, at, address, name);
        }
      }
      if (wrong != null) {
        report(at, address, "Inappropriate value for \"" + name + "\": " + wrong + ", not " + describe(value) + ".");
      }
    }

    private void objectValue(BlockSchema attributes, JsonNode value, String at, String address, String name) {
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        if (isExpression(entry.getKey())) {
          continue;
        }
        Optional<Argument> attribute = attributes.argument(entry.getKey());
        if (attribute.isEmpty() || !(attribute.get() instanceof Attribute a)) {
          report(at, address, "Inappropriate value for \"" + name + "\": unsupported attribute \""
              + entry.getKey() + "\".");
        } else {
          value(a.type(), entry.getValue(), at + "/" + HclSyntax.segment(entry.getKey()), address,
              name + "." + entry.getKey());
        }
      }
      for (Argument attribute : attributes.arguments().values()) {
        if (attribute.required() && !value.has(attribute.name())) {
          report(at, address, "Inappropriate value for \"" + name + "\": attribute \"" + attribute.name()
              + "\" is required.");
        }
      }
    }

    /** {@code terraform { required_providers { aws = { source = "hashicorp/aws", version = "…" } } }}. */
    void requiredProviders(JsonNode json) {
      JsonNode terraform = json.path("terraform");
      for (int t = 0; t < terraform.size(); t++) {
        JsonNode required = terraform.get(t).path("required_providers");
        for (int r = 0; r < required.size(); r++) {
          for (Map.Entry<String, JsonNode> entry : required.get(r).properties()) {
            // without a source, a local name means hashicorp/<name>; a bare string is the old version-only form
            JsonNode requirement = entry.getValue();
            String source = requirement.path("source").asText("hashicorp/" + entry.getKey());
            String version = requirement.isTextual() ? requirement.asText() : requirement.path("version").asText("");
            String pointer = "/terraform/" + t + "/required_providers/" + r + "/" + HclSyntax.segment(entry.getKey());
            if (!source.equals(schema.providerAddress()) && !source.endsWith("/" + schema.providerAddress())) {
              continue;
            }
            if (version.isEmpty()) {
              report(pointer, "terraform.required_providers", entry.getKey() + " has no version constraint: "
                  + "the provider's schema checked here is " + schema.providerVersion() + ".");
            } else if (!VersionConstraint.admits(version, schema.providerVersion())) {
              report(pointer, "terraform.required_providers", entry.getKey() + " = \"" + version
                  + "\" does not admit " + provider() + ", whose schema this check uses (" + schema.source() + ").");
            }
          }
        }
      }
    }

    private void report(String pointer, String address, String problem) {
      findings.add(new Finding(file, syntax.line(pointer), address, problem));
    }
  }

  private String provider() {
    return schema.providerAddress() + " " + schema.providerVersion();
  }

  /** hcl2json writes every non-literal expression as a template: {@code "${var.x}"}, {@code "${merge(…)}"}. */
  private static boolean isExpression(String text) {
    return text.contains("${") || text.contains("%{");
  }

  private static boolean isNumber(String text) {
    try {
      new java.math.BigDecimal(text.strip());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String describe(JsonNode value) {
    if (value.isArray()) {
      return "a list";
    }
    if (value.isObject()) {
      return "an object";
    }
    return value.isTextual() ? "the string \"" + value.asText() + "\"" : value.toString();
  }
}
