package dev.maas.operator.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * Runs an Argo CD {@code health.lua} the way Argo CD does: the resource as the global {@code obj}
 * (JSON objects and arrays as tables, arrays from 1), only the base, table, string and math
 * libraries, and a returned table with {@code status} and {@code message}. A fresh interpreter per
 * call, so one evaluation cannot leak into the next.
 */
public final class ArgoCdHealthScript {
  /** What Argo CD shows for the resource. */
  public record Health(String status, String message) {}

  private final Path script;
  private final String source;

  public ArgoCdHealthScript(Path script) {
    this.script = script;
    try {
      this.source = Files.readString(script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Health evaluate(JsonNode resource) {
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    globals.load(new StringLib());
    globals.load(new JseMathLib());
    LoadState.install(globals);
    LuaC.install(globals);
    globals.set("obj", lua(resource));
    LuaValue result = globals.load(source, script.getFileName().toString()).call();
    if (!result.istable()) {
      throw new AssertionError(script + " returned " + result + ", not a table");
    }
    LuaValue message = result.get("message");
    return new Health(result.get("status").tojstring(), message.isnil() ? "" : message.tojstring());
  }

  private static LuaValue lua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        table.set(field.getKey(), lua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isIntegralNumber() && node.canConvertToInt()) {
      return LuaValue.valueOf(node.intValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return LuaValue.valueOf(node.asText());
  }
}
