package io.catwrangler.aws.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Records the name of every API call a client makes ("HeadObject", "GetObject", …), to check what was not called. */
public final class RecordedOperations implements ExecutionInterceptor {
  private final List<String> operations = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
  }

  public List<String> operations() {
    synchronized (operations) {
      return List.copyOf(operations);
    }
  }

  /** How often each operation was called, by name. */
  public java.util.Map<String, Long> counts() {
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    operations().forEach(op -> counts.merge(op, 1L, Long::sum));
    return counts;
  }

  public void clear() {
    operations.clear();
  }
}
