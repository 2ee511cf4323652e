package dev.maas.e2e.kubelet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command that runs one container the way its pod spec asks, with what this machine has: in the
 * pod's network namespace ({@code ip netns exec}), on a read-only root filesystem made of the
 * host's /usr and /etc (bubblewrap), with the pod's volumes mounted where the spec says (read-only
 * when it says so) and its termination message file, as the user and group of its security context
 * with every capability dropped and no new privileges (setpriv). The "image" is the host's JDK plus
 * the runtime's shaded jar mounted at {@link #RUNTIME_JAR}, which starts faster than unpacking the
 * real image for every pod; the real image is run the same way by the suite's ImagesTest.
 */
final class Sandbox {
  /** Where the runtime jar is in every container. */
  static final String RUNTIME_JAR = "/opt/maas/maas-runtime.jar";

  record Mount(Path source, String target, boolean readOnly) {}

  /**
   * @param command the process to run: the image's entrypoint followed by the container's args
   */
  record Container(
      String netns,
      List<Mount> mounts,
      Path terminationLog,
      String terminationMessagePath,
      long uid,
      long gid,
      List<String> command) {}

  private Sandbox() {}

  static List<String> command(Container c) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("ip", "netns", "exec", c.netns()));
    args.add("bwrap");
    args.addAll(List.of("--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"));
    for (String link : List.of("lib", "lib64", "bin", "sbin")) {
      args.addAll(List.of("--symlink", "usr/" + link, "/" + link));
    }
    args.addAll(List.of("--dev", "/dev", "--proc", "/proc"));
    Set<String> dirs = new LinkedHashSet<>();
    for (Mount mount : c.mounts()) {
      parents(mount.target(), dirs);
    }
    parents(c.terminationMessagePath(), dirs);
    for (String dir : dirs) {
      if (!dir.equals("/dev") && !dir.equals("/usr") && !dir.equals("/etc")) {
        args.addAll(List.of("--perms", "0755", "--dir", dir));
      }
    }
    for (Mount mount : c.mounts()) {
      args.addAll(
          List.of(
              mount.readOnly() ? "--ro-bind" : "--bind",
              mount.source().toString(),
              mount.target()));
    }
    args.addAll(List.of("--bind", c.terminationLog().toString(), c.terminationMessagePath()));
    // The root itself (a tmpfs holding the mount points) becomes read-only last.
    args.addAll(List.of("--remount-ro", "/", "--chdir", "/", "--die-with-parent", "--"));
    args.addAll(
        List.of(
            "setpriv",
            "--reuid=" + c.uid(),
            "--regid=" + c.gid(),
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--no-new-privs"));
    args.addAll(c.command());
    return args;
  }

  /** The directories above a mount target, outermost first. */
  private static void parents(String target, Set<String> dirs) {
    Path path = Path.of(target).getParent();
    List<String> chain = new ArrayList<>();
    while (path != null && !path.toString().equals("/")) {
      chain.add(0, path.toString());
      path = path.getParent();
    }
    dirs.addAll(chain);
  }
}
