package io.catwrangler.local.sqlite;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connection that keeps its prepared statements: {@code prepareStatement(sql)} hands back the statement compiled
 * before for the same text, and {@code close()} on it only closes its results and clears its parameters for the next
 * use. SQLite compiles a statement in about the time it runs a small one: under load, compiling the same few dozen
 * statements again took 1.9 % of the server's CPU (docs/benchmarks.md), all of it repeated work.
 *
 * <p>A statement still open when its text is prepared again (a query iterated while a nested call runs the same
 * text) gets a fresh statement of its own, closed for real when it is closed; so do the statements past the
 * {@code capacity} most recently used texts. For connections used by one thread at a time, as
 * {@link SqliteDatabase} hands them out.
 */
final class StatementCache implements InvocationHandler {
  private final Connection connection;
  private final Connection proxy;
  private final Map<String, Cached> statements;

  private StatementCache(Connection connection, int capacity) {
    this.connection = connection;
    this.proxy = (Connection) Proxy.newProxyInstance(
        StatementCache.class.getClassLoader(), new Class<?>[] {Connection.class}, this);
    this.statements = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
        if (size() <= capacity) {
          return false;
        }
        eldest.getValue().evict();
        return true;
      }
    };
  }

  /** {@code connection} keeping up to {@code capacity} statements; closing it closes them and the connection. */
  static Connection wrap(Connection connection, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    return new StatementCache(connection, capacity).proxy;
  }

  @Override
  public Object invoke(Object self, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("prepareStatement") && args != null && args.length == 1) {
      return prepare((String) args[0]);
    }
    if (method.getName().equals("close") && method.getParameterCount() == 0) {
      statements.values().forEach(Cached::evict);
      statements.clear();
    }
    return forward(connection, method, args);
  }

  private PreparedStatement prepare(String sql) throws SQLException {
    Cached cached = statements.get(sql);
    if (cached == null || cached.statement.isClosed()) {
      cached = new Cached(connection.prepareStatement(sql));
      statements.put(sql, cached);
    } else if (cached.inUse) {
      return new Cached(connection.prepareStatement(sql)).own();
    }
    cached.inUse = true;
    return cached.view;
  }

  private static Object forward(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** One compiled statement and the view of it its users see. */
  private final class Cached implements InvocationHandler {
    private final PreparedStatement statement;
    private final PreparedStatement view;
    private boolean inUse;
    /** The results a user asked for in this use: closed when the user closes the statement. */
    private ResultSet results;
    /** Closed for real when its user closes it: evicted, or a second statement for a text in use. */
    private boolean owned;

    Cached(PreparedStatement statement) {
      this.statement = statement;
      this.view = (PreparedStatement) Proxy.newProxyInstance(
          StatementCache.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, this);
    }

    PreparedStatement own() {
      owned = true;
      inUse = true;
      return view;
    }

    void evict() {
      owned = true;
      if (!inUse) {
        closeQuietly();
      }
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "close":
          if (inUse) {
            inUse = false;
            release();
          }
          return null;
        case "isClosed":
          return !inUse || statement.isClosed();
        case "getConnection":
          return proxy;
        default:
          Object result = forward(statement, method, args);
          if (result instanceof ResultSet rs) {
            results = rs;
          }
          return result;
      }
    }

    private void release() throws SQLException {
      if (owned) {
        statement.close();
        return;
      }
      try {
        // results closed resets the statement, so it holds no read snapshot between uses
        ResultSet open = results != null ? results : statement.getResultSet();
        results = null;
        if (open != null) {
          open.close();
        }
        statement.clearParameters();
        statement.clearBatch();
      } catch (SQLException | RuntimeException e) {
        closeQuietly(); // the next prepare of its text compiles a new one
        throw e;
      }
    }

    private void closeQuietly() {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // closing the connection closes it anyway
      }
    }
  }
}
