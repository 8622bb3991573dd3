package io.catwrangler.local.cli;

import io.catwrangler.local.http.ApiClient;
import io.catwrangler.local.http.SigV4Signer;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --server}, {@code --token} and {@code --aws}/{@code --region}, shared by every command that talks to a
 * running server: the embedded one, or the AWS Function URLs ({@code AWS_IAM}), whose requests are SigV4-signed.
 */
final class ClientOptions {
  /** A Function URL's host names its region: {@code <url-id>.lambda-url.<region>.on.aws}. */
  private static final Pattern FUNCTION_URL_HOST = Pattern.compile("^[^.]+\\.lambda-url\\.([a-z0-9-]+)\\.on\\.aws$");

  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "${env:CATWRANGLER_SERVER:-" + ApiClient.DEFAULT_SERVER + "}",
      description = "Server to talk to (default: $CATWRANGLER_SERVER, else " + ApiClient.DEFAULT_SERVER + ").")
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:CATWRANGLER_TOKEN}",
      description = "Bearer token, when the server needs one (default: $CATWRANGLER_TOKEN). Not sent with --aws.")
  String token;

  @Option(
      names = "--aws",
      description = "The server is an AWS Function URL (AWS_IAM): sign every request with SigV4 (service lambda),"
          + " credentials from the default AWS chain (environment, profile, SSO, role).")
  boolean aws;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "AWS region to sign for, with --aws (default: the Function URL's own, else $AWS_REGION,"
          + " else $AWS_DEFAULT_REGION, else the profile's).")
  String region;

  @Spec(Spec.Target.MIXEE) CommandSpec command;

  ApiClient client() {
    return client(Duration.ofSeconds(60));
  }

  ApiClient client(Duration timeout) {
    URI uri = URI.create(server);
    if (!aws) {
      return new ApiClient(uri, Optional.ofNullable(token), timeout);
    }
    SigV4Signer signer = SigV4Signer.withDefaultCredentials(region(uri));
    try {
      signer.checkCredentials();
    } catch (RuntimeException e) {
      throw new ParameterException(command.commandLine(), "--aws: no usable AWS credentials: " + e.getMessage(), e,
          null, null);
    }
    return new ApiClient(uri, Optional.empty(), timeout, Optional.of(signer));
  }

  /** --region, else the Function URL's, else the environment's, else the profile's. */
  private String region(URI uri) {
    if (region != null && !region.isBlank()) {
      return region.strip();
    }
    Matcher host = FUNCTION_URL_HOST.matcher(uri.getHost() == null ? "" : uri.getHost());
    if (host.matches()) {
      return host.group(1);
    }
    for (String variable : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      String value = System.getenv(variable);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    try {
      return software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain.builder().build().getRegion().id();
    } catch (RuntimeException none) {
      throw new ParameterException(command.commandLine(),
          "--aws: no AWS region: give --region, or set AWS_REGION");
    }
  }
}
