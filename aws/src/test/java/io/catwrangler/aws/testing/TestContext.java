package io.catwrangler.aws.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.IntSupplier;

/** A Lambda context for the handler modules' tests: a fresh request id, a generous or a given remaining time. */
public final class TestContext implements Context {
  private final String requestId = UUID.randomUUID().toString();
  private final String functionName;
  private final IntSupplier remainingMillis;

  public TestContext(String functionName) {
    this(functionName, () -> 60_000);
  }

  /** @param remainingMillis what {@link #getRemainingTimeInMillis} answers, asked each time (a test's fake deadline) */
  public TestContext(String functionName, IntSupplier remainingMillis) {
    this.functionName = functionName;
    this.remainingMillis = remainingMillis;
  }

  @Override public String getAwsRequestId() { return requestId; }
  @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
  @Override public String getLogStreamName() { return "test"; }
  @Override public String getFunctionName() { return functionName; }
  @Override public String getFunctionVersion() { return "$LATEST"; }
  @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:" + functionName; }
  @Override public CognitoIdentity getIdentity() { return null; }
  @Override public ClientContext getClientContext() { return null; }
  @Override public int getRemainingTimeInMillis() { return remainingMillis.getAsInt(); }
  @Override public int getMemoryLimitInMB() { return 2048; }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override public void log(String message) { System.out.println(message); }
      @Override public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
    };
  }
}
