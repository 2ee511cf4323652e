package dev.maas.operator.resolve;

import dev.maas.operator.revision.History;
import dev.maas.operator.revision.Revision;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The commit a Hugging Face Hub branch or tag names now. An hf:// source that names a branch (or
 * nothing, which means main) is pinned to that commit when it is resolved, so the revision records
 * exactly what its pods fetch and a rollback serves the same bytes; a source that names a commit is
 * left as it is.
 */
@FunctionalInterface
public interface HubPins {
  /** No lookups: what `kubectl maas render` uses, with no network. */
  HubPins NONE = (endpoint, repo, revision) -> Optional.empty();

  Pattern COMMIT = Pattern.compile("^[0-9a-f]{40}$");

  /**
   * @param endpoint the Hub's base URL
   * @return the commit, or empty when it cannot be known (a private repository, the Hub down)
   */
  Optional<String> commit(String endpoint, String repo, String revision);

  /**
   * These pins, or where they know nothing (the Hub unreachable after an operator restart), the
   * commit a recorded revision pinned the same repository and revision to: an outage must not roll
   * out an unpinned template.
   */
  default HubPins orRecorded(History history) {
    return (endpoint, repo, revision) ->
        commit(endpoint, repo, revision)
            .or(
                () ->
                    history.revisions().stream()
                        .sorted(Comparator.comparingLong(Revision::number).reversed())
                        .map(r -> r.template().source())
                        .filter(s -> s.requestedUri() != null)
                        .flatMap(
                            s ->
                                HubUri.parse(s.requestedUri())
                                    .filter(
                                        h -> h.repo().equals(repo) && h.revision().equals(revision))
                                    .flatMap(h -> HubUri.parse(s.uri()))
                                    .stream())
                        .map(HubUri::revision)
                        .findFirst());
  }

  /** An hf:// URI taken apart: the repository, the file in it and the revision asked for. */
  record HubUri(String repo, String path, String revision) {
    static final String SCHEME = "hf://";

    static Optional<HubUri> parse(String uri) {
      if (!uri.startsWith(SCHEME)) {
        return Optional.empty();
      }
      String rest = uri.substring(SCHEME.length());
      int at = rest.lastIndexOf('@');
      String revision = at < 0 ? "main" : rest.substring(at + 1);
      String[] parts = (at < 0 ? rest : rest.substring(0, at)).split("/", 3);
      if (parts.length < 3) {
        return Optional.empty();
      }
      return Optional.of(new HubUri(parts[0] + "/" + parts[1], parts[2], revision));
    }

    boolean pinned() {
      return COMMIT.matcher(revision).matches();
    }

    String at(String commit) {
      return SCHEME + repo + "/" + path + "@" + commit;
    }
  }
}
