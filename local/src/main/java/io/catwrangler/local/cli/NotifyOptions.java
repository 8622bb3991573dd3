package io.catwrangler.local.cli;

import io.catwrangler.core.notify.NotifyAllowList;
import io.catwrangler.core.notify.NotifyDefaults;
import io.catwrangler.local.notify.NotifyConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code serve}'s webhook options, read into a {@link NotifyConfig}. */
final class NotifyOptions {
  @Option(names = "--notify-allow", paramLabel = "HOST[:PORT],...",
      description = "Hosts uploads may name in X-Notify-Url (a host alone: its scheme's default port only)."
          + " Default: none, so uploads naming a URL are refused.")
  String allow = "";

  @Option(names = "--notify-url", paramLabel = "URL",
      description = "Where to notify when a batch that named no URL of its own is complete.")
  String url;

  @Option(names = "--notify-each-image",
      description = "Also notify --notify-url of every image answered.")
  boolean eachImage;

  @Option(names = "--notify-secret-file", paramLabel = "FILE",
      description = "The key (16+ bytes) webhook bodies are signed with (HMAC-SHA256); needed with --notify-allow or"
          + " --notify-url.")
  Path secretFile;

  NotifyConfig config() throws IOException {
    NotifyAllowList allowList = NotifyAllowList.parse(allow);
    NotifyDefaults defaults = new NotifyDefaults(Optional.ofNullable(url), eachImage);
    if (allowList.isEmpty() && defaults.url().isEmpty()) {
      if (secretFile != null) {
        throw new IllegalArgumentException("--notify-secret-file without --notify-allow or --notify-url");
      }
      return NotifyConfig.DISABLED;
    }
    if (secretFile == null) {
      throw new IllegalArgumentException("webhook notifications need --notify-secret-file (the key their signature is"
          + " made with)");
    }
    return NotifyConfig.of(allowList, defaults, NotifyConfig.readSecret(secretFile));
  }
}
