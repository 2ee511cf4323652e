#!/usr/bin/env bash
# Builds the CPU images from their Dockerfiles without a container engine, from Debian's packages
# and the jars `mvn package` staged: images/build.sh [runtime] [operator]   (default: both)
#
# For each image: the base layer is a Debian bookworm minbase root filesystem made by mmdebstrap
# with the packages the Dockerfile's apt-get install names, the maas user (65532) added and docs,
# man pages and apt lists removed (cached under ~/.cache/maas-operator/images, keyed by the package
# list and this script); each COPY of the Dockerfile becomes its own layer; entrypoint, cmd, env,
# user and ports come from the Dockerfile (images/dockerfile_plan.py). umoci writes an OCI image
# layout per image to images/target/<image>, tagged with the project version; push it with
#   skopeo copy oci:images/target/runtime:<version> docker://<registry>/maas/runtime:<version>
# Needs root (the base's files keep their owners), mmdebstrap, umoci and Python 3.
set -euo pipefail
cd "$(dirname "$0")/.."
images=("$@")
[ ${#images[@]} -gt 0 ] || images=(runtime operator)
version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
out=images/target
cache=${MAAS_IMAGE_CACHE:-$HOME/.cache/maas-operator/images}
mkdir -p "$out" "$cache"
for tool in mmdebstrap umoci python3; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing (apt-get install mmdebstrap umoci)" >&2; exit 1; }
done

# The base layer: Debian bookworm with the given packages, cached by its inputs.
base_layer() {
  local packages="$1"
  local key
  key=$(printf '%s\n' "$packages" | cat - "$0" | sha256sum | cut -c1-16)
  local tar="$cache/base-$key.tar"
  if [ ! -s "$tar" ]; then
    echo "build.sh: making the Debian base ($packages)" >&2
    # SOURCE_DATE_EPOCH pins file times, so a rebuild from the same packages gives the same layer.
    SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600} mmdebstrap --quiet --variant=minbase \
      --include="${packages// /,}" \
      --aptopt='APT::Install-Recommends "false"' \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
      --customize-hook='chroot "$1" groupadd --gid 65532 maas' \
      --customize-hook='chroot "$1" useradd --key UID_MAX=65532 --uid 65532 --gid 65532 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin maas' \
      --customize-hook='rm -rf "$1"/usr/share/man/* "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*' \
      bookworm "${tar%.tar}.part.tar" \
      "deb http://deb.debian.org/debian bookworm main" \
      "deb http://deb.debian.org/debian bookworm-updates main" \
      "deb http://deb.debian.org/debian-security bookworm-security main" >&2
    mv "${tar%.tar}.part.tar" "$tar"
  fi
  echo "$tar"
}

# One COPY as a layer: the staged directory's files at the target path, owned by root, read-only
# for everyone else, with fixed times and order (the same jars give the same layer digest).
copy_layer() {
  local source="$1" target="$2" tar="$3"
  [ -d "$source" ] || { echo "build.sh: $source is missing: run mvn -B package -DskipTests first" >&2; exit 1; }
  local stage
  stage=$(mktemp -d)
  mkdir -p "$stage$target"
  cp -r "$source"/. "$stage$target"
  chmod -R u=rwX,go=rX "$stage"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$stage" -cf "$tar" .
  rm -rf "$stage"
}

for image in "${images[@]}"; do
  dockerfile=images/$image/Dockerfile
  plan=$(python3 images/dockerfile_plan.py "$dockerfile")
  field() { python3 -c 'import json,sys; v=json.loads(sys.argv[1])[sys.argv[2]]; print("\n".join(v) if isinstance(v, list) else v)' "$plan" "$1"; }
  layout="$out/$image"
  rm -rf "$layout"
  umoci init --layout "$layout"
  umoci new --image "$layout:$version"
  base=$(base_layer "$(field packages | tr '\n' ' ' | sed 's/ $//')")
  umoci raw add-layer --image "$layout:$version" --history.created_by "debian bookworm minbase: $(field packages | tr '\n' ' ')" "$base"
  work=$(mktemp -d)
  n=0
  while IFS=$'\t' read -r source target; do
    n=$((n + 1))
    copy_layer "$source" "$target" "$work/$n.tar"
    umoci raw add-layer --image "$layout:$version" --history.created_by "COPY $source $target" "$work/$n.tar"
  done < <(python3 -c 'import json,sys; [print(c["source"] + "\t" + c["target"]) for c in json.loads(sys.argv[1])["copies"]]' "$plan")
  rm -rf "$work"
  config=(--config.user "$(field user)" --config.workingdir /
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    --config.label "org.opencontainers.image.title=maas-$image"
    --config.label "org.opencontainers.image.version=$version")
  while read -r e; do [ -n "$e" ] && config+=(--config.env "$e"); done < <(field env)
  while read -r e; do [ -n "$e" ] && config+=(--config.entrypoint "$e"); done < <(field entrypoint)
  while read -r e; do [ -n "$e" ] && config+=(--config.cmd "$e"); done < <(field cmd)
  while read -r e; do [ -n "$e" ] && config+=(--config.exposedports "$e/tcp"); done < <(field ports)
  umoci config --image "$layout:$version" --history.created_by "config from $dockerfile" "${config[@]}"
  umoci gc --layout "$layout"
  size=$(du -sb "$layout/blobs" | cut -f1)
  echo "build.sh: $layout:$version ($((size / 1024 / 1024)) MiB compressed, $((n + 1)) layers)"
done
