package io.swarmtee.proxy;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command-line entry point of {@code swarmtee.jar}. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    String listen = args.length >= 2 && args[0].equals("--listen") ? args[1] : "0.0.0.0:8080";
    int colon = listen.lastIndexOf(':');
    String host = listen.substring(0, colon);
    int port = Integer.parseInt(listen.substring(colon + 1));
    Vertx vertx = Vertx.vertx();
    SwarmteeServer.start(vertx, host, port)
        .onSuccess(server -> LOG.info("swarmtee listening on {}:{}", host, server.actualPort()))
        .onFailure(e -> {
          LOG.error("swarmtee failed to start: {}", e.getMessage());
          System.exit(1);
        });
  }
}
