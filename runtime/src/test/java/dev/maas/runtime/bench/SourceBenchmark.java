package dev.maas.runtime.bench;

import dev.maas.contract.SourceFlags;
import dev.maas.operator.testing.S3Gateway;
import dev.maas.runtime.model.Sha256;
import dev.maas.runtime.source.ArtifactFetcher;
import dev.maas.runtime.source.RetryPolicy;
import dev.maas.runtime.source.SourceSettings;
import dev.maas.runtime.source.UnreliableLink;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Download throughput from a local S3-compatible server (versitygw on loopback): the runtime's
 * fetch (streamed, hashed, written, resumable) beside a plain read with the AWS SDK's defaults to a
 * file, as {@code aws s3 cp} does, and the cost of a resume after the connection breaks halfway.
 * Each path runs {@code RUNS} times in turn; the median is reported. Prints a markdown table.
 *
 * <p>Usage: {@code SourceBenchmark REPO WORK_DIR SIZE_MIB RUNS}
 */
public final class SourceBenchmark {
  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]).toAbsolutePath();
    Path work = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
    int mib = Integer.parseInt(args[2]);
    int runs = Integer.parseInt(args[3]);
    byte[] object = new byte[mib << 20];
    new Random(1).nextBytes(object);
    String sha256 = Sha256.of(object);
    Path credentials = Files.createDirectories(work.resolve("credentials"));
    Files.writeString(credentials.resolve(SourceFlags.AWS_ACCESS_KEY_ID), S3Gateway.ACCESS_KEY);
    Files.writeString(credentials.resolve(SourceFlags.AWS_SECRET_ACCESS_KEY), S3Gateway.SECRET_KEY);
    try (S3Gateway s3 =
            S3Gateway.start(
                repo, Files.createDirectories(work.resolve("s3")), "127.0.0.1", Optional.empty());
        UnreliableLink link = new UnreliableLink(s3.address());
        S3Client sdk =
            S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create(s3.endpoint()))
                .forcePathStyle(true)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Gateway.ACCESS_KEY, S3Gateway.SECRET_KEY)))
                .build()) {
      s3.put("bench", "object.bin", object);
      String location = "s3://bench/object.bin";
      ArtifactFetcher.Tuning quiet =
          new ArtifactFetcher.Tuning(RetryPolicy.DEFAULT, Duration.ofHours(1), line -> {});
      int[] run = {0};
      Function<String, Long> fetchThrough =
          endpoint -> {
            Path cache = work.resolve("cache-" + run[0]++);
            long start = System.nanoTime();
            new ArtifactFetcher(
                    cache,
                    new SourceSettings(
                        Optional.of(credentials),
                        false,
                        Map.of(SourceFlags.ENV_AWS_ENDPOINT_URL_S3, endpoint)),
                    quiet)
                .fetch(location, Optional.of(sha256));
            return System.nanoTime() - start;
          };
      Supplier<Path> sdkGet =
          () -> {
            Path file = work.resolve("sdk-" + run[0]++ + ".bin");
            sdk.getObject(
                GetObjectRequest.builder().bucket("bench").key("object.bin").build(),
                ResponseTransformer.toFile(file));
            return file;
          };
      LongSupplier fetch = () -> fetchThrough.apply(s3.endpoint());
      LongSupplier sdkToFile =
          () -> {
            long start = System.nanoTime();
            sdkGet.get();
            return System.nanoTime() - start;
          };
      LongSupplier sdkThenHash =
          () -> {
            long start = System.nanoTime();
            Path file = sdkGet.get();
            try {
              if (!Sha256.of(file).equals(sha256)) {
                throw new IllegalStateException("the SDK's copy differs");
              }
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            return System.nanoTime() - start;
          };
      long[] brokenBytes = {0};
      LongSupplier brokenHalfway =
          () -> {
            long before = link.bytesFromServer();
            link.breakOnceAfter(object.length / 2);
            long elapsed = fetchThrough.apply("http://127.0.0.1:" + link.port());
            brokenBytes[0] = link.bytesFromServer() - before;
            return elapsed;
          };
      // One untimed round first: the JIT and the server's page cache.
      fetch.getAsLong();
      sdkToFile.getAsLong();
      List<Long> ours = new ArrayList<>();
      List<Long> plain = new ArrayList<>();
      List<Long> hashed = new ArrayList<>();
      List<Long> resumed = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        ours.add(fetch.getAsLong());
        plain.add(sdkToFile.getAsLong());
        hashed.add(sdkThenHash.getAsLong());
        resumed.add(brokenHalfway.getAsLong());
      }
      double sdkRate = rate(mib, median(plain));
      System.out.println(
          "| path | MiB/s (median of " + runs + ") | vs SDK to file | bytes from the server |");
      System.out.println("|---|---:|---:|---:|");
      row(
          "AWS SDK getObject to a file (defaults, as `aws s3 cp`)",
          mib,
          median(plain),
          sdkRate,
          object.length);
      row(
          "AWS SDK to a file, then sha256 of the file",
          mib,
          median(hashed),
          sdkRate,
          object.length);
      row(
          "maas fetch: streamed, sha256 on the way, resumable",
          mib,
          median(ours),
          sdkRate,
          object.length);
      row(
          "maas fetch, connection closed at 50% and resumed",
          mib, median(resumed), sdkRate, brokenBytes[0]);
      System.out.printf(
          Locale.ROOT,
          "%nResume cost: %.2fx the time of an unbroken fetch, %.3fx its bytes (%d MiB object).%n",
          (double) median(resumed) / median(ours),
          (double) brokenBytes[0] / object.length,
          mib);
    }
  }

  private static void row(String path, int mib, long nanos, double sdkRate, long bytes) {
    double rate = rate(mib, nanos);
    System.out.printf(
        Locale.ROOT, "| %s | %.0f | %.2fx | %d |%n", path, rate, rate / sdkRate, bytes);
  }

  private static double rate(int mib, long nanos) {
    return mib / (nanos / 1e9);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
