package io.catwrangler.core.error;

/** A malformed identifier, header or parameter (400). Codes: INVALID_ID, INVALID_PARAMETER. */
public final class InvalidRequestException extends RequestException {
  public InvalidRequestException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }

  public static InvalidRequestException invalidId(String what, Throwable cause) {
    return new InvalidRequestException("INVALID_ID", what + ": " + cause.getMessage(), cause);
  }

  public static InvalidRequestException invalidId(String what, String why) {
    return new InvalidRequestException("INVALID_ID", what + ": " + why, null);
  }

  public static InvalidRequestException invalidParameter(String what, String why) {
    return new InvalidRequestException("INVALID_PARAMETER", what + ": " + why, null);
  }
}
