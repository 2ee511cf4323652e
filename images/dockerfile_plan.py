#!/usr/bin/env python3
"""Reads one of our Dockerfiles and prints, as JSON, what images/build.sh needs to make the same
image without a container engine: the Debian packages of the final stage's apt-get install, the
COPY instructions that become layers, and the image config (entrypoint, cmd, env, user, ports).

Only the instructions our Dockerfiles use are understood; anything else in the final stage is an
error, so the Dockerfile and the offline build cannot drift apart silently."""
import json
import re
import shlex
import sys


def instructions(text):
    """Yields (keyword, argument) with continuation lines joined and comments dropped."""
    line = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not line and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            line += stripped[:-1] + " "
            continue
        line += stripped
        keyword, _, argument = line.partition(" ")
        yield keyword.upper(), argument.strip()
        line = ""


def main(path):
    stages = [[]]
    for keyword, argument in instructions(open(path).read()):
        if keyword == "FROM":
            stages.append([(keyword, argument)])
        else:
            stages[-1].append((keyword, argument))
    final = stages[-1]
    plan = {"base": final[0][1], "packages": [], "copies": [], "entrypoint": [], "cmd": [],
            "env": [], "user": "", "ports": []}
    for keyword, argument in final[1:]:
        if keyword == "RUN":
            for command in argument.split("&&"):
                words = shlex.split(command)
                if words[:2] == ["apt-get", "install"]:
                    plan["packages"] += [w for w in words[2:] if not w.startswith("-")]
        elif keyword == "COPY":
            if argument.startswith("--from="):
                sys.exit(f"{path}: COPY --from cannot be built offline: {argument}")
            source, target = shlex.split(argument)
            plan["copies"].append({"source": source, "target": target})
        elif keyword in ("ENTRYPOINT", "CMD"):
            plan[keyword.lower()] = json.loads(argument)
        elif keyword == "ENV":
            plan["env"] += [pair for pair in shlex.split(argument)]
        elif keyword == "USER":
            plan["user"] = argument
        elif keyword == "EXPOSE":
            plan["ports"] += argument.split()
        elif keyword != "ARG":
            sys.exit(f"{path}: {keyword} is not understood by the offline build")
    if not re.fullmatch(r"debian:bookworm(-slim)?", plan["base"]):
        sys.exit(f"{path}: the offline build makes debian:bookworm bases only, not {plan['base']}")
    print(json.dumps(plan))


if __name__ == "__main__":
    main(sys.argv[1])
