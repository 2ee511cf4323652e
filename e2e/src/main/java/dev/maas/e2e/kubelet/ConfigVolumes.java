package dev.maas.e2e.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapProjection;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod's ConfigMap and Secret volumes, written with kubelet's atomic layout (see {@link
 * AtomicWriter}) before the container starts and kept in step with the API server while it runs, as
 * kubelet does: {@code items} pick keys and paths, {@code defaultMode} and per-item modes set the
 * permission bits (0644 when unset; with the pod's fsGroup, that group reads them, as kubelet's
 * volume ownership gives it), an {@code optional} volume whose object is missing is empty, and a
 * missing one that is not optional keeps the pod in ContainerCreating. Unlike kubelet, Secrets land
 * on disk (under the kubelet's state directory), not on a tmpfs, and changes arrive within {@link
 * #REFRESH_MILLIS} rather than kubelet's sync period of about a minute.
 */
final class ConfigVolumes {
  static final long REFRESH_MILLIS = 2000;
  private static final int DEFAULT_MODE = 0644;

  private final KubernetesClient client;
  private final Pod pod;
  private final Path volumesDir;
  private final PodTokens tokens;

  ConfigVolumes(KubernetesClient client, Pod pod, Path volumesDir) {
    this.client = client;
    this.pod = pod;
    this.volumesDir = volumesDir;
    this.tokens = new PodTokens(client, pod);
  }

  static boolean handles(Volume volume) {
    return volume.getConfigMap() != null
        || volume.getSecret() != null
        || volume.getProjected() != null;
  }

  private Integer fsGroup() {
    var security = pod.getSpec().getSecurityContext();
    return security == null || security.getFsGroup() == null
        ? null
        : Math.toIntExact(security.getFsGroup());
  }

  /** Where the volume's files are on this machine. */
  Path directory(Volume volume) {
    return volumesDir.resolve(volume.getName());
  }

  /**
   * Writes every ConfigMap and Secret volume as the API server holds its object now.
   *
   * @return why a volume cannot be set up (kubelet's FailedMount message), when one cannot
   */
  Optional<String> sync() throws IOException {
    for (Volume volume : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of())) {
      if (!handles(volume)) {
        continue;
      }
      Optional<Map<String, AtomicWriter.FileProjection>> payload;
      try {
        payload = payload(volume);
      } catch (IllegalArgumentException e) {
        return Optional.of(
            "MountVolume.SetUp failed for volume \"" + volume.getName() + "\" : " + e.getMessage());
      }
      if (payload.isEmpty()) {
        return Optional.of(
            "MountVolume.SetUp failed for volume \""
                + volume.getName()
                + "\" : "
                + kind(volume)
                + " \""
                + objectName(volume)
                + "\" not found");
      }
      new AtomicWriter(directory(volume), fsGroup()).write(payload.get());
    }
    return Optional.empty();
  }

  /** The files of one volume; empty when its object is missing and the volume not optional. */
  private Optional<Map<String, AtomicWriter.FileProjection>> payload(Volume volume) {
    if (volume.getProjected() != null) {
      return Optional.of(projected(volume.getProjected()));
    }
    boolean configMap = volume.getConfigMap() != null;
    List<KeyToPath> items =
        configMap ? volume.getConfigMap().getItems() : volume.getSecret().getItems();
    Integer defaultMode =
        configMap ? volume.getConfigMap().getDefaultMode() : volume.getSecret().getDefaultMode();
    boolean optional =
        Boolean.TRUE.equals(
            configMap ? volume.getConfigMap().getOptional() : volume.getSecret().getOptional());
    Optional<Map<String, byte[]>> data =
        configMap ? configMapData(objectName(volume)) : secretData(objectName(volume));
    if (data.isEmpty() && !optional) {
      return Optional.empty();
    }
    Map<String, AtomicWriter.FileProjection> files = new LinkedHashMap<>();
    project(
        data.orElse(Map.of()),
        items,
        defaultMode == null ? DEFAULT_MODE : defaultMode,
        objectName(volume),
        optional,
        files);
    return Optional.of(files);
  }

  /** A ConfigMap's keys, text and binary; empty when it does not exist. */
  private Optional<Map<String, byte[]>> configMapData(String name) {
    ConfigMap map =
        client.configMaps().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
    if (map == null) {
      return Optional.empty();
    }
    Map<String, byte[]> data = new LinkedHashMap<>();
    Optional.ofNullable(map.getData())
        .orElse(Map.of())
        .forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    Optional.ofNullable(map.getBinaryData())
        .orElse(Map.of())
        .forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    return Optional.of(data);
  }

  /** A Secret's keys, decoded; empty when it does not exist. */
  private Optional<Map<String, byte[]>> secretData(String name) {
    Secret secret =
        client.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
    if (secret == null) {
      return Optional.empty();
    }
    Map<String, byte[]> data = new LinkedHashMap<>();
    Optional.ofNullable(secret.getData())
        .orElse(Map.of())
        .forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    return Optional.of(data);
  }

  /**
   * A projected volume, as the ServiceAccount admission plugin adds one to every pod that mounts a
   * token ({@code kube-api-access-*}): a service-account token kubelet requests for the pod (bound
   * to it, renewed after 80% of its lifetime), {@code kube-root-ca.crt}'s CA and the namespace.
   *
   * @throws IllegalArgumentException with kubelet's words for a missing object
   */
  private Map<String, AtomicWriter.FileProjection> projected(ProjectedVolumeSource projected) {
    int mode = projected.getDefaultMode() == null ? DEFAULT_MODE : projected.getDefaultMode();
    Map<String, AtomicWriter.FileProjection> files = new LinkedHashMap<>();
    String namespace = pod.getMetadata().getNamespace();
    for (VolumeProjection source : projected.getSources()) {
      if (source.getServiceAccountToken() != null) {
        ServiceAccountTokenProjection token = source.getServiceAccountToken();
        files.put(
            token.getPath(),
            new AtomicWriter.FileProjection(
                tokens.token(token).getBytes(StandardCharsets.UTF_8), mode));
      } else if (source.getConfigMap() != null) {
        ConfigMapProjection ref = source.getConfigMap();
        boolean optional = Boolean.TRUE.equals(ref.getOptional());
        Optional<Map<String, byte[]>> data = configMapData(ref.getName());
        if (data.isEmpty() && !optional) {
          throw new IllegalArgumentException("configmap \"" + ref.getName() + "\" not found");
        }
        project(data.orElse(Map.of()), ref.getItems(), mode, ref.getName(), optional, files);
      } else if (source.getSecret() != null) {
        SecretProjection ref = source.getSecret();
        boolean optional = Boolean.TRUE.equals(ref.getOptional());
        Optional<Map<String, byte[]>> data = secretData(ref.getName());
        if (data.isEmpty() && !optional) {
          throw new IllegalArgumentException("secret \"" + ref.getName() + "\" not found");
        }
        project(data.orElse(Map.of()), ref.getItems(), mode, ref.getName(), optional, files);
      } else if (source.getDownwardAPI() != null) {
        for (DownwardAPIVolumeFile item : source.getDownwardAPI().getItems()) {
          String field = item.getFieldRef() == null ? "" : item.getFieldRef().getFieldPath();
          String value =
              switch (field) {
                case "metadata.namespace" -> namespace;
                case "metadata.name" -> pod.getMetadata().getName();
                case "metadata.uid" -> pod.getMetadata().getUid();
                default ->
                    throw new IllegalArgumentException(
                        "downward API field " + field + " is not supported here");
              };
          files.put(
              item.getPath(),
              new AtomicWriter.FileProjection(
                  value.getBytes(StandardCharsets.UTF_8),
                  item.getMode() == null ? mode : item.getMode()));
        }
      }
    }
    return files;
  }

  /**
   * An object's keys as files: all of them by key, or the {@code items} picked (a key that is not
   * there is an error unless the source is optional), each with its own mode or {@code mode}.
   */
  private static void project(
      Map<String, byte[]> data,
      List<KeyToPath> items,
      int mode,
      String object,
      boolean optional,
      Map<String, AtomicWriter.FileProjection> files) {
    if (items == null || items.isEmpty()) {
      data.forEach((key, bytes) -> files.put(key, new AtomicWriter.FileProjection(bytes, mode)));
      return;
    }
    for (KeyToPath item : items) {
      byte[] bytes = data.get(item.getKey());
      if (bytes == null) {
        if (optional) {
          continue;
        }
        throw new IllegalArgumentException(
            "configuration key \"" + item.getKey() + "\" not found in " + object);
      }
      files.put(
          item.getPath(),
          new AtomicWriter.FileProjection(bytes, item.getMode() == null ? mode : item.getMode()));
    }
  }

  private static String kind(Volume volume) {
    return volume.getConfigMap() != null ? "configmap" : "secret";
  }

  private static String objectName(Volume volume) {
    return volume.getConfigMap() != null
        ? volume.getConfigMap().getName()
        : volume.getSecret().getSecretName();
  }
}
