package io.catwrangler.local.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * Closes a connection whose request headers take longer than a deadline to arrive. Jetty parses headers without a
 * thread and restarts its idle timeout with every byte, so a client sending a header a few bytes at a time would
 * keep its connection for as long as it likes. Here, once bytes of a new request have arrived on a connection (its
 * byte count grew since the last request ended) and no request is in the handlers for the deadline, the connection
 * is closed. A keep-alive connection that sends nothing is left to the idle timeout; a request whose body is slow is
 * left to {@link RequestBody}'s minimum rate.
 *
 * <p>Added to the connector as a connection listener (open connections) and wrapped around the handlers (requests
 * in progress); a sweep every quarter of the deadline looks at every open connection.
 */
final class HeaderDeadline extends AbstractLifeCycle implements Connection.Listener {
  private static final class State {
    final AtomicInteger inProgress = new AtomicInteger();
    volatile long bytesAtRest;
    volatile long pendingSince = -1;
  }

  private final Duration deadline;
  private final Map<Connection, State> open = new ConcurrentHashMap<>();
  private ScheduledExecutorService sweeper;

  HeaderDeadline(Duration deadline) {
    this.deadline = deadline;
  }

  /** Wraps the server's handlers so requests in progress are known. */
  Handler track(Handler handlers) {
    return new Handler.Wrapper(handlers) {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        State state = open.get(connection);
        if (state == null) {
          return super.handle(request, response, callback);
        }
        state.inProgress.incrementAndGet();
        state.pendingSince = -1;
        Callback done = new Callback.Nested(callback) {
          @Override
          public void succeeded() {
            ended(connection, state);
            super.succeeded();
          }

          @Override
          public void failed(Throwable x) {
            ended(connection, state);
            super.failed(x);
          }
        };
        try {
          if (super.handle(request, response, done)) {
            return true;
          }
        } catch (Exception | Error e) {
          ended(connection, state);
          throw e;
        }
        ended(connection, state);
        return false;
      }
    };
  }

  private static void ended(Connection connection, State state) {
    state.bytesAtRest = connection.getBytesIn();
    state.pendingSince = -1;
    state.inProgress.decrementAndGet();
  }

  @Override
  public void onOpened(Connection connection) {
    open.put(connection, new State());
  }

  @Override
  public void onClosed(Connection connection) {
    open.remove(connection);
  }

  @Override
  protected void doStart() {
    sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "http-header-deadline");
      thread.setDaemon(true);
      return thread;
    });
    long every = Math.max(10, deadline.toMillis() / 4);
    sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doStop() {
    sweeper.shutdownNow();
  }

  private void sweep() {
    long now = System.nanoTime();
    open.forEach((connection, state) -> {
      if (state.inProgress.get() > 0 || connection.getBytesIn() <= state.bytesAtRest) {
        state.pendingSince = -1;
        return;
      }
      long since = state.pendingSince;
      if (since < 0) {
        state.pendingSince = now;
      } else if (now - since > deadline.toNanos() && state.inProgress.get() == 0) {
        connection.getEndPoint().close();
      }
    });
  }
}
