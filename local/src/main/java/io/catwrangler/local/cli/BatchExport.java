package io.catwrangler.local.cli;

import io.catwrangler.local.http.ApiClient;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code catwrangler batch ID --export FILE}: {@code GET /batches/{id}/results} written to a file as it arrives,
 * following {@code Link: rel="next"} when the server answers in parts (the AWS Function URL does), keeping one CSV
 * header. The file appears whole or not at all: it is written next to its name and moved into place at the end.
 */
final class BatchExport {
  /** Redraw the progress bar at most this often. */
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final int BAR = 30;

  enum Format {
    JSONL("application/x-ndjson"),
    CSV("text/csv");

    final String accept;

    Format(String accept) {
      this.accept = accept;
    }

    /** CSV for a {@code .csv} file, JSON Lines otherwise. */
    static Format forFile(Path file) {
      return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? CSV : JSONL;
    }
  }

  /** What an export ended with: the rows written, or the server's error reply. */
  record Outcome(long rows, Optional<ApiClient.Reply> error) {}

  private final ApiClient client;
  private final Format format;
  private final Optional<PrintWriter> progress;

  /** @param progress where to draw the progress bar (stderr), if anywhere */
  BatchExport(ApiClient client, Format format, Optional<PrintWriter> progress) {
    this.client = client;
    this.format = format;
    this.progress = progress;
  }

  /**
   * Writes the batch's results to {@code file}.
   *
   * @param total the batch's image count, for the progress bar (0: unknown)
   */
  Outcome write(String batchId, Path file, long total) throws IOException, InterruptedException {
    Path absolute = file.toAbsolutePath();
    Path part = absolute.resolveSibling(absolute.getFileName() + ".part");
    Counter counter = new Counter(total);
    boolean done = false;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 64 * 1024)) {
      Optional<String> next =
          Optional.of("/batches/" + URLEncoder.encode(batchId, StandardCharsets.UTF_8) + "/results");
      boolean first = true;
      while (next.isPresent()) {
        boolean skipHeader = format == Format.CSV && !first;
        ApiClient.Streamed answer =
            client.stream(next.get(), format.accept, body -> copy(body, out, skipHeader, counter));
        if (!answer.reply().isSuccess()) {
          return new Outcome(counter.rows, Optional.of(answer.reply()));
        }
        next = answer.next();
        first = false;
      }
      out.flush();
      done = true;
    } finally {
      counter.finish();
      if (!done) {
        Files.deleteIfExists(part);
      }
    }
    Files.move(part, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Outcome(counter.rows, Optional.empty());
  }

  /** Copies one response body, counting lines (rows: less the CSV header) and drawing progress. */
  private void copy(InputStream body, OutputStream out, boolean skipHeader, Counter counter) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    boolean inHeader = skipHeader || format == Format.CSV;
    boolean writeHeader = !skipHeader;
    for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
      int from = 0;
      if (inHeader) {
        int end = indexOf(buffer, n, (byte) '\n');
        int stop = end < 0 ? n : end + 1;
        if (writeHeader) {
          out.write(buffer, 0, stop);
        }
        from = stop;
        inHeader = end < 0;
      }
      out.write(buffer, from, n - from);
      for (int i = from; i < n; i++) {
        if (buffer[i] == '\n') {
          counter.rows++;
        }
      }
      counter.draw(false);
    }
  }

  private static int indexOf(byte[] buffer, int length, byte b) {
    for (int i = 0; i < length; i++) {
      if (buffer[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private final class Counter {
    final long total;
    long rows;
    long drawnAt;
    boolean drawn;

    Counter(long total) {
      this.total = total;
    }

    void draw(boolean force) {
      if (progress.isEmpty()) {
        return;
      }
      long now = System.nanoTime();
      if (!force && drawn && now - drawnAt < REDRAW_NANOS) {
        return;
      }
      drawnAt = now;
      drawn = true;
      PrintWriter err = progress.get();
      if (total > 0) {
        int filled = (int) Math.min(BAR, rows * BAR / total);
        err.printf(Locale.ROOT, "\r[%s%s] %,d/%,d rows", "#".repeat(filled), ".".repeat(BAR - filled), rows, total);
      } else {
        err.printf(Locale.ROOT, "\r%,d rows", rows);
      }
      err.flush();
    }

    void finish() {
      if (progress.isPresent() && drawn) {
        draw(true);
        progress.get().println();
        progress.get().flush();
      }
    }
  }
}
