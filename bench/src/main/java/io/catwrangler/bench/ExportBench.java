package io.catwrangler.bench;

import io.catwrangler.local.http.EmbeddedHttpServer;
import io.catwrangler.local.http.ExportRows;
import io.catwrangler.local.http.HttpServerConfig;
import io.catwrangler.local.sqlite.SqliteDatabase;
import io.catwrangler.local.sqlite.SqliteResultView;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The export's throughput and memory: {@code --rows} classified images (state documents of a real answer's size)
 * written into a fresh SQLite view, then {@code GET /batches/bench/results} read over loopback HTTP from the embedded
 * server in this process, {@code --runs} times per format; the client counts lines and keeps nothing. Heap used is
 * read after a full GC before the first export and after each one. Run with a small heap ({@code -Xmx64m}) to see
 * that the export needs none of its size.
 *
 * <pre>
 * BENCH_JAVA_OPTS=-Xmx64m bench/run export [--rows 100000] [--runs 3]
 * </pre>
 */
@Command(name = "export", description = "Time the batch export (NDJSON, CSV) of a large view, and the heap it"
    + " needs.")
final class ExportBench implements Callable<Integer> {
  @Option(names = "--rows", description = "Classified images in the exported batch (default: ${DEFAULT-VALUE}).")
  int rows = 100_000;

  @Option(names = "--runs", description = "Exports per format, after one warm-up (default: ${DEFAULT-VALUE}).")
  int runs = 3;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path folder = Files.createTempDirectory("catwrangler-export-bench-");
    try (SqliteDatabase db = SqliteDatabase.open(folder.resolve(SqliteDatabase.FILE_NAME))) {
      long t = System.nanoTime();
      ExportRows.fill(db, "bench", rows);
      out.printf(Locale.ROOT, "filled %,d view rows in %.1f s (database %.1f MB)%n", rows,
          (System.nanoTime() - t) / 1e9, Files.size(folder.resolve(SqliteDatabase.FILE_NAME)) / 1e6);
      EmbeddedHttpServer server = EmbeddedHttpServer.start(ExportRows.api(db, new SqliteResultView(db)),
          HttpServerConfig.loopback(0).withAccessLog(false), logLine -> {});
      try {
        out.printf(Locale.ROOT, "heap after GC before: %.1f MB (max %.0f MB)%n", heapAfterGc() / 1e6,
            Runtime.getRuntime().maxMemory() / 1e6);
        export(server, "application/x-ndjson", rows); // warm-up
        for (String accept : new String[] {"application/x-ndjson", "text/csv"}) {
          for (int run = 1; run <= runs; run++) {
            t = System.nanoTime();
            long[] read = export(server, accept, rows);
            double seconds = (System.nanoTime() - t) / 1e9;
            out.printf(Locale.ROOT, "%-20s run %d: %,d rows, %.1f MB in %.2f s = %,.0f rows/s;"
                    + " heap after GC after: %.1f MB%n", accept, run, read[0], read[1] / 1e6, seconds,
                read[0] / seconds, heapAfterGc() / 1e6);
          }
        }
      } finally {
        server.close();
      }
    } finally {
      try (var files = Files.walk(folder)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    out.flush();
    return 0;
  }

  /** Reads the whole export, counting lines and bytes; fails unless every row came. */
  private static long[] export(EmbeddedHttpServer server, String accept, int rows) throws IOException {
    HttpURLConnection http =
        (HttpURLConnection) server.url().resolve("/batches/bench/results").toURL().openConnection();
    http.setRequestProperty("Accept", accept);
    if (http.getResponseCode() != 200) {
      throw new IllegalStateException("export answered " + http.getResponseCode());
    }
    long lines = 0;
    long bytes = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = http.getInputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        bytes += n;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
      }
    }
    long dataLines = accept.startsWith("text/csv") ? lines - 1 : lines;
    if (dataLines != rows) {
      throw new IllegalStateException("expected " + rows + " rows, read " + dataLines);
    }
    return new long[] {dataLines, bytes};
  }

  private static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
