package dev.maas.operator.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Sees every request a client sends and keeps the writes (anything but GET, so watches and lists
 * are not counted), as "METHOD path": how the tests prove that a reconcile with nothing to change
 * sends nothing.
 */
public final class RequestCounter implements Interceptor {
  private final List<String> writes = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  void install(HttpClient.Builder builder) {
    builder.addOrReplaceInterceptor("maas-request-counter", this);
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (!"GET".equals(request.method())) {
      writes.add(request.method() + " " + request.uri().getPath());
      String body = request.bodyString();
      bodies.add(
          request.method()
              + " "
              + request.uri().getPath()
              + " "
              + (body == null ? "" : body.substring(0, Math.min(body.length(), 2000))));
    }
  }

  public List<String> writes() {
    return List.copyOf(writes);
  }

  /** The writes with their bodies, to explain a failed assertion. */
  public String describe() {
    return String.join("\n", bodies);
  }

  public void clear() {
    writes.clear();
    bodies.clear();
  }
}
