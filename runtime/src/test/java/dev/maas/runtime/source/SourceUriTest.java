package dev.maas.runtime.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SourceUriTest {
  @Test
  void s3NamesABucketAndAKey() {
    assertThat(SourceUri.parse("s3://models/digits/v3/digits_mlp.pt"))
        .isEqualTo(
            new SourceUri.S3(
                "s3://models/digits/v3/digits_mlp.pt", "models", "digits/v3/digits_mlp.pt"));
    assertThat(SourceUri.parse("s3://models/p/int8.maas").suffix()).isEqualTo(".maas");
  }

  @Test
  void hubNamesARepositoryAPathAndARevision() {
    assertThat(SourceUri.parse("hf://org/repo/sub/dir/model.pt@0123abcd"))
        .isEqualTo(
            new SourceUri.Hub(
                "hf://org/repo/sub/dir/model.pt@0123abcd",
                "org/repo",
                "sub/dir/model.pt",
                Optional.of("0123abcd")));
    SourceUri.Hub unpinned = (SourceUri.Hub) SourceUri.parse("hf://org/repo/model.pt");
    assertThat(unpinned.revision()).isEmpty();
    assertThat(unpinned.revisionOrMain()).isEqualTo("main");
  }

  @Test
  void pathsFileUrisAndUrlsStayWhatTheyWere() {
    assertThat(SourceUri.parse("/models/a.pt"))
        .isEqualTo(new SourceUri.Local("/models/a.pt", Path.of("/models/a.pt")));
    assertThat(SourceUri.parse("file:///models/a.pt"))
        .isEqualTo(new SourceUri.Local("file:///models/a.pt", Path.of("/models/a.pt")));
    assertThat(SourceUri.parse("https://h/x/a.pt")).isInstanceOf(SourceUri.Web.class);
  }

  @Test
  void whatCannotBeFetchedSaysWhatToDoInstead() {
    assertThatThrownBy(() -> SourceUri.parse("s3://bucket-only"))
        .hasMessage("s3://bucket-only: an S3 location is s3://BUCKET/KEY");
    assertThatThrownBy(() -> SourceUri.parse("hf://org/repo@main"))
        .hasMessageContaining("hf://ORG/REPO/PATH/IN/REPO[@REVISION]");
    assertThatThrownBy(() -> SourceUri.parse("hf://org/repo/m.pt@"))
        .hasMessageContaining("name a revision");
    assertThatThrownBy(() -> SourceUri.parse("oci://registry/models/digits:v1"))
        .hasMessageContaining("image volume");
    assertThatThrownBy(() -> SourceUri.parse("gs://bucket/key"))
        .hasMessageContaining("AWS_ENDPOINT_URL_S3=https://storage.googleapis.com");
    assertThatThrownBy(() -> SourceUri.parse("ftp://h/x.pt"))
        .hasMessageContaining("unsupported scheme ftp://");
  }
}
