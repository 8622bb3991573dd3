package io.catwrangler.terraform.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catwrangler.terraform.schema.BlockSchema.Argument;
import io.catwrangler.terraform.schema.BlockSchema.Attribute;
import io.catwrangler.terraform.schema.BlockSchema.NestedBlock;
import io.catwrangler.terraform.schema.ValueType.ListOf;
import io.catwrangler.terraform.schema.ValueType.MapOf;
import io.catwrangler.terraform.schema.ValueType.ObjectOf;
import io.catwrangler.terraform.schema.ValueType.Primitive;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a provider's schema out of the jsii manifest ({@code .jsii}) of its prebuilt CDK Terrain bindings
 * ({@code @cdktn/provider-aws}), streaming: the manifest is 153 MB of JSON; what is kept is each struct's properties
 * in reduced form (a few MB), and no more than one property's JSON is in memory at a time.
 *
 * <p>The manifest describes TypeScript classes, not Terraform, so Terraform is recovered from the documentation the
 * bindings' generator writes: a resource class says {@code Represents a {@link …/providers/hashicorp/aws/6.66.0/
 * docs/resources/lambda_function aws_lambda_function}} (a data source {@code …/docs/data-sources/…}, the provider
 * {@code …/docs aws}); its constructor takes a {@code …Config} struct; every struct property names its Terraform
 * argument in a link anchor ({@code …/lambda_function#memory_size}); a nested block's summary is exactly
 * {@code "vpc_config block."}, an attribute's never. A property without {@code optional} is required.
 * Meta-arguments ({@code count}, {@code for_each}, …) come from an inherited interface and so are not among a
 * config's own properties. docs/decisions/0029 says how this was verified.
 */
public final class JsiiManifest {
  /**
   * Field names not canonicalized: the 31,000 type names are each seen once, and a symbol table of them would be the
   * one thing in the parse growing with the manifest.
   */
  private static final ObjectMapper JSON =
      new ObjectMapper(JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());
  /** {@code {@link <url> <text>}} where the url names a provider's docs: address, version, page. */
  private static final Pattern TYPE_LINK = Pattern.compile(
      "\\{@link \\S*?/providers/([^/\\s]+/[^/\\s]+)/([^/\\s]+)/docs(/(?:resources|data-sources)/\\S+)? (\\S+)}");
  private static final Pattern ARGUMENT_LINK = Pattern.compile("\\{@link \\S*?/docs\\S*#(\\S+) [^}]*}");
  private static final Set<String> DECLARED_BY = Set.of("cdktn.TerraformResource", "cdktn.TerraformDataSource",
      "cdktn.TerraformProvider");

  private final Map<String, List<Property>> structs = new HashMap<>();
  private final List<Declared> declared = new ArrayList<>();
  private final Set<String> providers = new TreeSet<>();
  private final Set<String> versions = new TreeSet<>();
  private final Map<String, BlockSchema> resolved = new HashMap<>();
  private final Set<String> resolving = new HashSet<>();
  private String packageName = "?";
  private String packageVersion = "?";

  private JsiiManifest() {}

  /** The schema in the manifest at {@code manifest}; fails when it is not one provider's bindings of one version. */
  public static ProviderSchema readProviderSchema(Path manifest) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(manifest), 1 << 16)) {
      return readProviderSchema(in);
    }
  }

  public static ProviderSchema readProviderSchema(InputStream manifest) throws IOException {
    JsiiManifest reader = new JsiiManifest();
    try (JsonParser parser = JSON.getFactory().createParser(manifest)) {
      reader.readAssembly(parser);
    }
    return reader.schema();
  }

  private void readAssembly(JsonParser parser) throws IOException {
    expect(parser.nextToken(), JsonToken.START_OBJECT, parser);
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "name" -> packageName = parser.getText();
        case "version" -> packageVersion = parser.getText();
        case "types" -> {
          expect(value, JsonToken.START_OBJECT, parser);
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String fqn = parser.currentName();
            expect(parser.nextToken(), JsonToken.START_OBJECT, parser);
            readType(parser, fqn);
          }
        }
        default -> parser.skipChildren();
      }
    }
  }

  /** One entry of {@code types}; the parser is on its START_OBJECT and is left on its END_OBJECT. */
  private void readType(JsonParser parser, String fqn) throws IOException {
    String kind = null;
    String base = null;
    boolean datatype = false;
    String summary = "";
    String config = null;
    List<JsonNode> properties = new ArrayList<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "kind" -> kind = parser.getText();
        case "base" -> base = parser.getText();
        case "datatype" -> datatype = value == JsonToken.VALUE_TRUE;
        case "docs" -> summary = parser.<JsonNode>readValueAsTree().path("summary").asText("");
        case "initializer" -> {
          for (JsonNode parameter : parser.<JsonNode>readValueAsTree().path("parameters")) {
            if (parameter.path("name").asText().equals("config")) {
              config = parameter.path("type").path("fqn").asText(null);
            }
          }
        }
        case "properties" -> {
          // one property at a time: a class's getters can run to hundreds of KB, and are dropped below
          expect(value, JsonToken.START_ARRAY, parser);
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            properties.add(parser.readValueAsTree());
          }
        }
        default -> parser.skipChildren();
      }
    }
    if (datatype && "interface".equals(kind)) {
      List<Property> struct = new ArrayList<>(properties.size());
      for (JsonNode property : properties) {
        struct.add(property(fqn, property));
      }
      structs.put(fqn, struct);
    } else if ("class".equals(kind) && base != null && DECLARED_BY.contains(base)) {
      Matcher link = TYPE_LINK.matcher(summary);
      if (!link.find() || config == null) {
        throw new IllegalStateException(fqn + " does not name its Terraform type: " + summary);
      }
      providers.add(link.group(1));
      versions.add(link.group(2));
      Kind declaredKind = switch (base) {
        case "cdktn.TerraformResource" -> Kind.RESOURCE;
        case "cdktn.TerraformDataSource" -> Kind.DATA_SOURCE;
        default -> Kind.PROVIDER;
      };
      declared.add(new Declared(declaredKind, link.group(4), config));
    }
  }

  private static Property property(String struct, JsonNode property) {
    JsonNode docs = property.path("docs");
    String summary = docs.path("summary").asText("");
    Matcher link = ARGUMENT_LINK.matcher(summary + "\n" + docs.path("remarks").asText(""));
    if (!link.find()) {
      throw new IllegalStateException(struct + "." + property.path("name").asText() + " does not name its argument");
    }
    String name = link.group(1);
    return new Property(name, !property.path("optional").asBoolean(false), summary.equals(name + " block."),
        typeRef(property.path("type")));
  }

  private static TypeRef typeRef(JsonNode type) {
    if (type.has("primitive")) {
      return new TypeRef.Prim(type.get("primitive").asText());
    }
    if (type.has("fqn")) {
      return new TypeRef.Ref(type.get("fqn").asText());
    }
    if (type.has("collection")) {
      JsonNode collection = type.get("collection");
      return new TypeRef.Collection(collection.path("kind").asText(), typeRef(collection.path("elementtype")));
    }
    if (type.has("union")) {
      List<TypeRef> types = new ArrayList<>();
      type.get("union").path("types").forEach(t -> types.add(typeRef(t)));
      return new TypeRef.Union(types);
    }
    throw new IllegalStateException("unknown jsii type " + type);
  }

  private ProviderSchema schema() {
    if (providers.size() != 1 || versions.size() != 1) {
      throw new IllegalStateException(packageName + "@" + packageVersion + " does not describe one provider of one "
          + "version: " + providers + " " + versions);
    }
    BlockSchema provider = null;
    Map<String, BlockSchema> resources = new LinkedHashMap<>();
    Map<String, BlockSchema> dataSources = new LinkedHashMap<>();
    for (Declared d : declared) {
      BlockSchema body = struct(d.config()).orElseThrow();
      switch (d.kind()) {
        case RESOURCE -> resources.put(d.terraformName(), body);
        case DATA_SOURCE -> dataSources.put(d.terraformName(), body);
        case PROVIDER -> provider = body;
      }
    }
    if (provider == null || resources.isEmpty() || dataSources.isEmpty()) {
      throw new IllegalStateException(packageName + "@" + packageVersion
          + " has no provider, resources or data sources");
    }
    return new ProviderSchema(packageName + "@" + packageVersion, providers.iterator().next(),
        versions.iterator().next(), provider, resources, dataSources);
  }

  /**
   * The struct as a block body; empty where it contains itself (a few newer resources nest statements in statements,
   * {@code aws_wafv2_web_acl_rule}): below that point the contents are not checked.
   */
  private Optional<BlockSchema> struct(String fqn) {
    BlockSchema done = resolved.get(fqn);
    if (done != null) {
      return Optional.of(done);
    }
    List<Property> properties = structs.get(fqn);
    if (properties == null) {
      throw new IllegalStateException("struct " + fqn + " is not in the manifest");
    }
    if (!resolving.add(fqn)) {
      return Optional.empty();
    }
    Map<String, Argument> arguments = new LinkedHashMap<>();
    for (Property p : properties) {
      arguments.put(p.name(), p.block() ? block(p) : new Attribute(p.name(), p.required(), valueType(p.type())));
    }
    resolving.remove(fqn);
    BlockSchema body = new BlockSchema(arguments);
    resolved.put(fqn, body);
    return Optional.of(body);
  }

  /** A block is one struct (at most one block), a list of structs, or {@code any} (contents not described). */
  private NestedBlock block(Property p) {
    TypeRef type = withoutResolvable(p.type());
    if (type instanceof TypeRef.Ref ref && structs.containsKey(ref.fqn())) {
      return new NestedBlock(p.name(), p.required(), true, struct(ref.fqn()));
    }
    if (type instanceof TypeRef.Collection c && c.kind().equals("array") && c.element() instanceof TypeRef.Ref ref
        && structs.containsKey(ref.fqn())) {
      return new NestedBlock(p.name(), p.required(), false, struct(ref.fqn()));
    }
    if (type instanceof TypeRef.Prim prim && prim.name().equals("any")) {
      return new NestedBlock(p.name(), p.required(), false, Optional.empty());
    }
    throw new IllegalStateException("block " + p.name() + " has an unexpected type " + p.type());
  }

  private ValueType valueType(TypeRef type) {
    TypeRef t = withoutResolvable(type);
    if (t instanceof TypeRef.Prim prim) {
      return switch (prim.name()) {
        case "string" -> Primitive.STRING;
        case "number" -> Primitive.NUMBER;
        case "boolean" -> Primitive.BOOL;
        default -> Primitive.ANY;
      };
    }
    if (t instanceof TypeRef.Collection c) {
      ValueType element = valueType(c.element());
      return c.kind().equals("map") ? new MapOf(element) : new ListOf(element);
    }
    if (t instanceof TypeRef.Ref ref && structs.containsKey(ref.fqn())) {
      return struct(ref.fqn()).<ValueType>map(ObjectOf::new).orElse(Primitive.ANY);
    }
    return Primitive.ANY;
  }

  /** Every value the bindings take may also be a token ({@code cdktn.IResolvable}); Terraform knows no such thing. */
  private static TypeRef withoutResolvable(TypeRef type) {
    if (type instanceof TypeRef.Union union) {
      List<TypeRef> rest = union.types().stream()
          .filter(t -> !(t instanceof TypeRef.Ref ref && ref.fqn().equals("cdktn.IResolvable"))).toList();
      return rest.size() == 1 ? rest.get(0) : new TypeRef.Prim("any");
    }
    return type;
  }

  private static void expect(JsonToken actual, JsonToken expected, JsonParser parser) throws IOException {
    if (actual != expected) {
      throw new IOException("not a jsii manifest: expected " + expected + " at " + parser.currentLocation()
          + ", found " + actual);
    }
  }

  private enum Kind { RESOURCE, DATA_SOURCE, PROVIDER }

  private record Declared(Kind kind, String terraformName, String config) {}

  private record Property(String name, boolean required, boolean block, TypeRef type) {}

  /** A jsii type reference, as written in the manifest. */
  private sealed interface TypeRef {
    record Prim(String name) implements TypeRef {}

    record Ref(String fqn) implements TypeRef {}

    record Collection(String kind, TypeRef element) implements TypeRef {}

    record Union(List<TypeRef> types) implements TypeRef {}
  }
}
