package dev.maas.operator.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's store that keeps each object trimmed to what the operator reads. The informers hold
 * every ModelDeployment, revision, pod and owned object of every namespace the operator watches,
 * for as long as it runs: at thousands of ModelDeployments what they cache, not what the operator
 * does, sets its memory. Trimming happens once, as an object enters the cache; the informer hands
 * its event handlers the same trimmed object, so nothing sees two shapes of it.
 */
public class TrimmedStore<R extends HasMetadata> implements ItemStore<R> {
  private final BasicItemStore<R> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final UnaryOperator<R> trim;

  protected TrimmedStore(UnaryOperator<R> trim) {
    this.trim = trim;
  }

  @Override
  public String getKey(R object) {
    return store.getKey(object);
  }

  @Override
  public R put(String key, R object) {
    return store.put(key, trim.apply(object));
  }

  @Override
  public R remove(String key) {
    return store.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return store.keySet();
  }

  @Override
  public Stream<R> values() {
    return store.values();
  }

  @Override
  public int size() {
    return store.size();
  }

  @Override
  public R get(String key) {
    return store.get(key);
  }
}
