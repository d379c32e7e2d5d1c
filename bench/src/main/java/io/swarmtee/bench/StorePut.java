package io.swarmtee.bench;

import io.swarmtee.tee.store.EmbeddedStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Puts a file into an embedded store as swarmtee's archiver would, for the replay benchmark: {@code
 * java -cp swarmtee-bench.jar io.swarmtee.bench.StorePut STORE_DIR FILE} prints the reference.
 */
public final class StorePut {

  private StorePut() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: StorePut STORE_DIR FILE");
      System.exit(2);
    }
    Vertx vertx = Vertx.vertx();
    try {
      EmbeddedStore store = EmbeddedStore.open(vertx, Path.of(args[0])).await(60, TimeUnit.SECONDS);
      Buffer data = Buffer.buffer(Files.readAllBytes(Path.of(args[1])));
      System.out.println(store.put(data).await(60, TimeUnit.SECONDS).hex());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
