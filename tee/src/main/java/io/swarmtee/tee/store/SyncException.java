package io.swarmtee.tee.store;

import java.util.Objects;

/**
 * A {@link StoreSync} run stopped early (Bee refused or failed a chunk, a chunk is corrupt locally,
 * or Bee answered another address). Progress up to here is saved: running again resumes.
 */
public class SyncException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient SyncReport progress;

  public SyncException(String message, SyncReport progress, Throwable cause) {
    super(message, cause);
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /**
   * @return what this run did before it stopped
   */
  public SyncReport progress() {
    return progress;
  }
}
