package io.guidepost.service;

import jakarta.ejb.ApplicationException;

/** No model can serve the request (still loading, or loading failed): HTTP 503. */
@ApplicationException
public final class ModelNotReadyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ServiceInfo.ModelStatus status;

  /** A model in {@code status}; {@code failure} is the load error, if any. */
  public ModelNotReadyException(ServiceInfo.ModelStatus status, String failure) {
    super(
        "The model is not ready (status "
            + status.wireName()
            + (failure == null ? "" : ": " + failure)
            + ").");
    this.status = status;
  }

  /** The model status. */
  public ServiceInfo.ModelStatus status() {
    return status;
  }
}
