package dev.maas.runtime.access;

/**
 * What an access check decided about one request. Consumers go through {@link #accept}, so a new
 * kind of decision does not compile until every consumer handles it.
 */
public sealed interface AccessDecision {
  <T> T accept(Cases<T> cases);

  /** One method per kind of decision. */
  interface Cases<T> {
    T allowed(Allowed allowed);

    T unauthenticated(Unauthenticated denied);

    T forbidden(Forbidden denied);
  }

  /** The caller may use the model; {@code caller} names it in metrics, never the credential. */
  record Allowed(String caller) implements AccessDecision {
    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.allowed(this);
    }
  }

  /** No credential, a malformed one, or one nobody issued: HTTP 401. */
  record Unauthenticated(String reason, boolean credentialPresented) implements AccessDecision {
    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.unauthenticated(this);
    }
  }

  /** A known caller without permission for this model: HTTP 403. */
  record Forbidden(String caller, String reason) implements AccessDecision {
    @Override
    public <T> T accept(Cases<T> cases) {
      return cases.forbidden(this);
    }
  }
}
