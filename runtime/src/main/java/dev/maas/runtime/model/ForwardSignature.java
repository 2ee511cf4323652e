package dev.maas.runtime.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The parameters of a TorchScript module's {@code forward}, read from the archive itself.
 *
 * <p>DJL's JNI exposes no method schema, but a TorchScript archive carries its code as Python
 * source: {@code data.pkl} names the root module's class ({@code __torch__.DigitsMlp}) and {@code
 * code/__torch__.py} holds {@code def forward(self: ..., x: Tensor) -> Tensor}. Those names are the
 * model's own, so a request can bind its inputs by name rather than by position.
 */
public record ForwardSignature(List<Parameter> parameters) {

  /**
   * One argument after {@code self}: its name, its TorchScript type and whether it has a default.
   */
  public record Parameter(String name, String type, boolean hasDefault) {}

  public List<String> names() {
    return parameters.stream().map(Parameter::name).toList();
  }

  /** Arguments a call must pass: those without a default. */
  public int required() {
    return (int) parameters.stream().filter(p -> !p.hasDefault()).count();
  }

  public int indexOf(String name) {
    return names().indexOf(name);
  }

  /** "(a, b)" as a message shows the signature. */
  public String describe() {
    return "(" + String.join(", ", names()) + ")";
  }

  /**
   * Reads the forward signature, or empty when the file is not a TorchScript archive laid out as
   * torch.jit.save writes it (then inputs can only bind by position).
   */
  public static Optional<ForwardSignature> read(Path torchScript) {
    try (ZipFile zip = new ZipFile(torchScript.toFile())) {
      String root = rootPrefix(zip);
      if (root == null) {
        return Optional.empty();
      }
      String[] rootClass = rootClass(readAll(zip, zip.getEntry(root + "data.pkl")));
      if (rootClass == null) {
        return Optional.empty();
      }
      ZipEntry code = zip.getEntry(root + "code/" + rootClass[0].replace('.', '/') + ".py");
      if (code == null) {
        return Optional.empty();
      }
      return parseForward(new String(readAll(zip, code), StandardCharsets.UTF_8), rootClass[1]);
    } catch (IOException | RuntimeException notAnArchive) {
      return Optional.empty();
    }
  }

  /** The {@code forward} parameters of {@code className} in one TorchScript code file. */
  static Optional<ForwardSignature> parseForward(String code, String className) {
    int classAt = findLineStart(code, "class " + className + "(", 0);
    if (classAt < 0) {
      return Optional.empty();
    }
    int nextClass = findLineStart(code, "class ", classAt + 1);
    int end = nextClass < 0 ? code.length() : nextClass;
    int defAt = code.indexOf("def forward(", classAt);
    if (defAt < 0 || defAt > end) {
      return Optional.empty();
    }
    int open = defAt + "def forward".length();
    int close = matchingParen(code, open);
    if (close < 0) {
      return Optional.empty();
    }
    List<String> arguments = splitTopLevel(code.substring(open + 1, close));
    if (arguments.isEmpty()) {
      return Optional.empty();
    }
    List<Parameter> parameters = new ArrayList<>();
    for (String argument : arguments.subList(1, arguments.size())) {
      String text = argument.strip();
      int colon = text.indexOf(':');
      int equals = topLevelIndexOf(text, '=');
      String name =
          (colon >= 0 ? text.substring(0, colon) : equals >= 0 ? text.substring(0, equals) : text)
              .strip();
      String type =
          colon < 0
              ? "Tensor"
              : (equals > colon ? text.substring(colon + 1, equals) : text.substring(colon + 1))
                  .strip();
      if (name.isEmpty() || name.startsWith("*")) {
        return Optional.empty();
      }
      parameters.add(new Parameter(name, type, equals >= 0));
    }
    return Optional.of(new ForwardSignature(List.copyOf(parameters)));
  }

  /** The directory inside the archive that holds {@code data.pkl} (torch.jit.save names it). */
  private static String rootPrefix(ZipFile zip) {
    String best = null;
    var entries = zip.entries();
    while (entries.hasMoreElements()) {
      String name = entries.nextElement().getName();
      if (name.endsWith("data.pkl") && (name.equals("data.pkl") || name.endsWith("/data.pkl"))) {
        String prefix = name.substring(0, name.length() - "data.pkl".length());
        if (prefix.chars().filter(c -> c == '/').count() <= 1
            && (best == null || prefix.length() < best.length())) {
          best = prefix;
        }
      }
    }
    return best;
  }

  /**
   * The root object's class from the pickle's first GLOBAL opcode ({@code c module\n name\n}),
   * which torch's own pickler writes right after the protocol header.
   */
  static String[] rootClass(byte[] pickle) {
    int at = 0;
    if (pickle.length > 2 && (pickle[0] & 0xff) == 0x80) {
      at = 2;
    }
    if (at >= pickle.length || pickle[at] != 'c') {
      return null;
    }
    int moduleEnd = indexOf(pickle, (byte) '\n', at + 1);
    int nameEnd = moduleEnd < 0 ? -1 : indexOf(pickle, (byte) '\n', moduleEnd + 1);
    if (nameEnd < 0) {
      return null;
    }
    String module = new String(pickle, at + 1, moduleEnd - at - 1, StandardCharsets.UTF_8);
    String name =
        new String(pickle, moduleEnd + 1, nameEnd - moduleEnd - 1, StandardCharsets.UTF_8);
    return module.startsWith("__torch__") ? new String[] {module, name} : null;
  }

  private static byte[] readAll(ZipFile zip, ZipEntry entry) throws IOException {
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  private static int indexOf(byte[] bytes, byte value, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Where {@code prefix} starts a line (after indentation is not a match: a nested class is not).
   */
  private static int findLineStart(String code, String prefix, int from) {
    int at = code.indexOf(prefix, from);
    while (at >= 0) {
      if (at == 0 || code.charAt(at - 1) == '\n') {
        return at;
      }
      at = code.indexOf(prefix, at + 1);
    }
    return -1;
  }

  /** The ')' that closes the '(' at {@code open}, or -1. */
  private static int matchingParen(String code, int open) {
    return topLevelIndexOf(code, ')', open + 1);
  }

  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int comma = topLevelIndexOf(text, ',', 0);
        comma >= 0;
        comma = topLevelIndexOf(text, ',', start)) {
      parts.add(text.substring(start, comma));
      start = comma + 1;
    }
    if (!text.substring(start).isBlank()) {
      parts.add(text.substring(start));
    }
    return parts;
  }

  private static int topLevelIndexOf(String text, char wanted) {
    return topLevelIndexOf(text, wanted, 0);
  }

  /**
   * The first {@code wanted} at or after {@code from} outside brackets and string literals, or -1
   * (also when a bracket closes one opened before {@code from}, unless that bracket is wanted).
   */
  private static int topLevelIndexOf(String text, char wanted, int from) {
    int depth = 0;
    char quote = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == wanted && depth == 0) {
        return i;
      } else if (c == '(' || c == '[') {
        depth++;
      } else if ((c == ')' || c == ']') && --depth < 0) {
        return -1;
      }
    }
    return -1;
  }
}
