package io.catwrangler.terraform.schema;

import java.util.Map;
import java.util.Optional;

/**
 * What a Terraform provider accepts, reduced from its full schema: for the provider block and every resource and
 * data source type, the arguments and nested blocks that may be written, their types and which are required.
 *
 * @param source          where the schema came from ({@code @cdktn/provider-aws@25.7.0})
 * @param providerAddress the provider's source address ({@code hashicorp/aws})
 * @param providerVersion the provider release the schema describes ({@code 6.66.0})
 */
public record ProviderSchema(String source, String providerAddress, String providerVersion, BlockSchema provider,
    Map<String, BlockSchema> resources, Map<String, BlockSchema> dataSources) {

  public ProviderSchema {
    resources = Map.copyOf(resources);
    dataSources = Map.copyOf(dataSources);
  }

  /** The schema of a {@code resource} ({@code data} when {@code data}) block of the given type. */
  public Optional<BlockSchema> type(boolean data, String type) {
    return Optional.ofNullable((data ? dataSources : resources).get(type));
  }
}
