#!/usr/bin/env bash
# A real Kubernetes control plane on this machine, as plain local processes (no Docker):
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, and kwok playing the nodes.
# Everything listens on loopback only and keeps its state in one directory.
#
#   e2e/local-cluster.sh build    build the binaries from source (Go module proxy), cached under $HOME
#   e2e/local-cluster.sh up       build when needed, start the cluster, install crds/, create fake nodes
#   e2e/local-cluster.sh env      print the exports that point kubectl (and the operator) at it
#   e2e/local-cluster.sh status   what runs, and the nodes
#   e2e/local-cluster.sh down     stop every process it started; the cluster's state goes with it
#   e2e/local-cluster.sh demo     up, plus a kubelet played by local processes (root: network
#                                 namespaces, bubblewrap), the operator, examples/digits-cpu.yaml
#                                 and a local port in front of its Service; prints the model's URL.
#                                 On a fresh Debian machine it first installs what it lacks (JDK,
#                                 Maven, Go, iproute2, bubblewrap: e2e/prerequisites.sh)
#
# Settings (environment):
#   MAAS_CLUSTER_DIR        state directory (default: .local-cluster in the repository)
#   MAAS_CLUSTER_PORT_BASE  ports used: base+0 API server, +1 etcd, +2 etcd peer, +3 controller
#                           manager, +4 scheduler, +5 kwok (default 16440)
#   MAAS_CLUSTER_CONFIG     operator configuration whose node pools become fake GPU nodes
#                           (default: examples/operator-config.yaml)
#   MAAS_CLUSTER_CPU_NODES  how many fake CPU nodes (110 pods each; default 2); GPU pools get 2 each
#   MAAS_CLUSTER_CRDS       0: do not install crds/ (the Helm chart will)
#   MAAS_TOOLCHAIN_CACHE    where built binaries are cached (default ~/.cache/maas-operator/toolchain)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
state=${MAAS_CLUSTER_DIR:-$repo/.local-cluster}
base=${MAAS_CLUSTER_PORT_BASE:-16440}
operator_config=${MAAS_CLUSTER_CONFIG:-$repo/examples/operator-config.yaml}
cpu_nodes=${MAAS_CLUSTER_CPU_NODES:-2}
install_crds=${MAAS_CLUSTER_CRDS:-1}
api_port=$base
etcd_port=$((base + 1))
etcd_peer_port=$((base + 2))
kcm_port=$((base + 3))
scheduler_port=$((base + 4))
kwok_port=$((base + 5))
components=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok process-kubelet operator proxy)

say() { echo "local-cluster: $*" >&2; }
die() {
  say "$*"
  exit 1
}

# What a machine needs, shared with .ci/run: installed when missing (as root), else named.
# shellcheck source=prerequisites.sh
. "$repo/e2e/prerequisites.sh"

binaries() {
  if [ -z "${MAAS_TOOLCHAIN_BIN:-}" ]; then
    maas_prerequisites cluster || die "cannot build the control plane without them"
  fi
  "$repo/e2e/toolchain/build.sh"
}

pid_of() { cat "$state/pids/$1.pid" 2>/dev/null || true; }

alive() {
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

running() {
  local c
  for c in "${components[@]}"; do alive "$c" && return 0; done
  return 1
}

# The fake nodes, from the operator's configuration as the operator itself reads it (FakeNodes, in
# the operator's test jar; `maas-e2e.jar fake-nodes` runs the same class). The operator's jars are
# what exists first: its own cluster tests run before the e2e module is built.
fake_nodes() {
  local config=$1 cpu=$2 tests
  tests=$(ls "$repo"/operator/target/maas-operator-*-tests.jar 2>/dev/null | head -1)
  if [ ! -f "$repo/operator/target/maas-operator.jar" ] || [ -z "$tests" ]; then
    say "building the jars (mvn package -DskipTests): the fake nodes come from the operator's"
    maas_prerequisites build || die "cannot build the jars without them"
    (cd "$repo" && mvn -B -q package -DskipTests) >&2
    tests=$(ls "$repo"/operator/target/maas-operator-*-tests.jar | head -1)
  fi
  java -cp "$repo/operator/target/maas-operator.jar:$tests" dev.maas.operator.testing.FakeNodes \
    "$config" "$cpu"
}

# A CA, the API server's serving certificate, and a client certificate per identity: the admin
# (system:masters), the controller manager and the scheduler (their RBAC bootstrap roles), kwok.
make_pki() {
  local pki=$state/pki
  [ -f "$pki/.complete" ] && return
  mkdir -p "$pki"
  (
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
      -subj "/CN=maas-local-cluster-ca" 2>/dev/null
    cert() { # name, subject, extensions
      openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
      printf '%s\n' "$3" >"$1.ext"
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
        -out "$1.crt" -extfile "$1.ext" 2>/dev/null
      rm -f "$1.csr" "$1.ext"
    }
    cert apiserver "/CN=kube-apiserver" \
      "subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth"
    cert admin "/O=system:masters/CN=maas-admin" "extendedKeyUsage=clientAuth"
    cert controller-manager "/CN=system:kube-controller-manager" "extendedKeyUsage=clientAuth"
    cert scheduler "/CN=system:kube-scheduler" "extendedKeyUsage=clientAuth"
    cert kwok "/O=system:masters/CN=kwok" "extendedKeyUsage=clientAuth"
    cert maas-operator "/O=system:masters/CN=maas-operator" "extendedKeyUsage=clientAuth"
    # The aggregation layer's own CA, as kubeadm sets it up; without it the controllers complain
    # about a missing request-header CA on every start.
    openssl req -x509 -newkey rsa:2048 -nodes -keyout front-proxy-ca.key -out front-proxy-ca.crt \
      -days 3650 -subj "/CN=front-proxy-ca" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout front-proxy-client.key -out front-proxy-client.csr \
      -subj "/CN=front-proxy-client" 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' >front-proxy-client.ext
    openssl x509 -req -in front-proxy-client.csr -CA front-proxy-ca.crt -CAkey front-proxy-ca.key \
      -CAcreateserial -days 3650 -out front-proxy-client.crt -extfile front-proxy-client.ext 2>/dev/null
    rm -f front-proxy-client.csr front-proxy-client.ext
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    chmod 600 ./*.key
    touch .complete
  )
  for identity in admin controller-manager scheduler kwok maas-operator; do
    cat >"$state/$identity.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: maas-local
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority: $pki/ca.crt
users:
- name: $identity
  user:
    client-certificate: $pki/$identity.crt
    client-key: $pki/$identity.key
contexts:
- name: maas-local
  context: {cluster: maas-local, user: $identity, namespace: default}
current-context: maas-local
EOF
  done
  cp "$state/admin.kubeconfig" "$state/kubeconfig"
}

start() { # name, binary, args...
  local name=$1 binary=$2
  shift 2
  # Its own session, so that `down` can stop it and anything it started as one group.
  setsid "$binary" "$@" >"$state/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$state/pids/$name.pid"
}

wait_for() { # what, seconds, command...
  local what=$1 seconds=$2 i
  shift 2
  for ((i = 0; i < seconds * 5; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  say "timed out after ${seconds}s waiting for $what"
  return 1
}

healthy() { # port, path: an HTTPS health endpoint, asked as the admin
  curl -sf --max-time 2 --cacert "$state/pki/ca.crt" --cert "$state/pki/admin.crt" \
    --key "$state/pki/admin.key" "https://127.0.0.1:$1$2"
}

component_failed() {
  say "$1 did not start; the end of its log ($state/logs/$1.log):"
  tail -n 20 "$state/logs/$1.log" >&2 || true
  stop_all
  exit 1
}

up() {
  if running; then
    say "already running (state in $state); 'e2e/local-cluster.sh down' stops it"
    print_env
    return 0
  fi
  local bin
  bin=$(binaries)
  local port
  for port in $api_port $etcd_port $etcd_peer_port $kcm_port $scheduler_port $kwok_port; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port is in use: set MAAS_CLUSTER_PORT_BASE to another base"
    fi
  done
  rm -rf "$state/logs" # the previous cluster's
  mkdir -p "$state/pids" "$state/logs"
  echo "$bin" >"$state/bin"
  make_pki
  local pki=$state/pki started
  started=$(date +%s)
  # Every request of the maas-operator identity, and of service accounts in maas-system (where
  # the chart installs the operator), is audited, so what the operator sends can be counted at
  # the API server itself.
  cat >"$state/audit-policy.yaml" <<EOF
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
  users: [maas-operator]
- level: Metadata
  userGroups: ["system:serviceaccounts:maas-system"]
- level: None
EOF

  start etcd "$bin/etcd" \
    --name local --data-dir "$state/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" \
    --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster "local=http://127.0.0.1:$etcd_peer_port" \
    --listen-metrics-urls "" \
    --unsafe-no-fsync --quota-backend-bytes 4294967296 --log-level warn
  wait_for etcd 30 curl -sf "http://127.0.0.1:$etcd_port/health" || component_failed etcd

  # --enable-aggregator-routing: an aggregated API (the end-to-end tests' custom metrics adapter)
  # is reached at its endpoint's address, since nothing routes ClusterIPs here.
  # ImageVolume (oci:// models as image volumes): beta and off by default in 1.33 and 1.34, whose
  # API servers silently drop an image volume and its mounts; on by default from 1.35.
  start kube-apiserver "$bin/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" \
    --requestheader-client-ca-file "$pki/front-proxy-ca.crt" \
    --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User \
    --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$pki/front-proxy-client.crt" \
    --proxy-client-key-file "$pki/front-proxy-client.key" \
    --enable-aggregator-routing=true \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" \
    --service-account-signing-key-file "$pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 \
    --authorization-mode Node,RBAC \
    --enable-admission-plugins NodeRestriction \
    --endpoint-reconciler-type none \
    --audit-policy-file "$state/audit-policy.yaml" --audit-log-path "$state/logs/audit.log" \
    --allow-privileged=true --profiling=false --v=1 \
    --feature-gates ImageVolume=true
  wait_for kube-apiserver 90 healthy "$api_port" /readyz || component_failed kube-apiserver

  start kube-controller-manager "$bin/kube-controller-manager" \
    --kubeconfig "$state/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$state/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$state/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$kcm_port" \
    --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --controllers '*' \
    --horizontal-pod-autoscaler-sync-period 5s \
    --kube-api-qps 200 --kube-api-burst 400 \
    --profiling=false --v=1
  # An unschedulable pod is retried within 10 s (5 min by default): on this machine the scheduler
  # once missed the event of a claim being bound, and a prepare pod that found its claim unbound
  # waited past a test's minute ("pod has unbound immediate PersistentVolumeClaims").
  start kube-scheduler "$bin/kube-scheduler" \
    --kubeconfig "$state/scheduler.kubeconfig" \
    --authentication-kubeconfig "$state/scheduler.kubeconfig" \
    --authorization-kubeconfig "$state/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$scheduler_port" \
    --kube-api-qps 200 --kube-api-burst 400 \
    --pod-max-in-unschedulable-pods-duration 10s \
    --leader-elect=false --profiling=false --v=1
  start kwok "$bin/kwok" \
    --kubeconfig "$state/kwok.kubeconfig" \
    --config "$repo/e2e/cluster/kwok-stages.yaml" \
    --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --node-lease-duration-seconds 40 \
    --cidr 10.244.0.0/16 --node-ip 127.0.0.1 \
    --server-address "127.0.0.1:$kwok_port"
  wait_for kube-controller-manager 60 curl -sfk "https://127.0.0.1:$kcm_port/healthz" ||
    component_failed kube-controller-manager
  wait_for kube-scheduler 60 curl -sfk "https://127.0.0.1:$scheduler_port/healthz" ||
    component_failed kube-scheduler
  alive kwok || component_failed kwok

  local kubectl=("$bin/kubectl" --kubeconfig "$state/kubeconfig")
  if [ "$install_crds" != 0 ]; then
    "${kubectl[@]}" apply --server-side -f "$repo/crds/" >/dev/null
  fi
  # The default storage class. Nothing provisions it here: the tests' volume provisioner double
  # binds claims, or a claim waits, as on a cluster without a provisioner.
  "${kubectl[@]}" apply --server-side -f - >/dev/null <<EOF
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: local.maas.dev/directory
volumeBindingMode: Immediate
reclaimPolicy: Delete
EOF
  fake_nodes "$operator_config" "$cpu_nodes" | "${kubectl[@]}" create -f - >/dev/null
  if [ "$install_crds" != 0 ]; then
    wait_for "the CRD to be established" 30 \
      "${kubectl[@]}" wait --for condition=Established --timeout 1s crd/modeldeployments.maas.dev ||
      component_failed kube-apiserver
  fi
  wait_for "the nodes to be Ready" 60 \
    "${kubectl[@]}" wait --for condition=Ready --timeout 20s nodes --all || component_failed kwok
  # Pods can only be created once the service-account controller made the namespace's account.
  wait_for "the default ServiceAccount" 60 "${kubectl[@]}" get serviceaccount default ||
    component_failed kube-controller-manager
  say "up in $(($(date +%s) - started)) s: $("${kubectl[@]}" get nodes --no-headers | wc -l) nodes, API server https://127.0.0.1:$api_port"
  print_env
}

stop_all() {
  local c i pid
  for ((i = ${#components[@]} - 1; i >= 0; i--)); do
    c=${components[$i]}
    pid=$(pid_of "$c")
    [ -n "$pid" ] || continue
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for c in "${components[@]}"; do
    pid=$(pid_of "$c")
    [ -n "$pid" ] || continue
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    rm -f "$state/pids/$c.pid"
  done
  # Anything else still pointing at this state directory was ours too.
  pkill -KILL -f -- "$state/" 2>/dev/null || true
  # The demo's pod networks, when the process kubelet had no time to remove them.
  if command -v ip >/dev/null 2>&1 && ip link show maasdemo0 >/dev/null 2>&1; then
    ip netns list 2>/dev/null | awk '$1 ~ /^maasdemo0-/ {print $1}' | xargs -r -n1 ip netns del 2>/dev/null || true
    ip link del maasdemo0 2>/dev/null || true
  fi
}

down() {
  if [ ! -d "$state" ]; then
    say "not running"
    return 0
  fi
  stop_all
  # Logs stay for a post-mortem; the cluster's data and credentials go.
  find "$state" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} +
  say "stopped; logs in $state/logs"
}

print_env() {
  echo "export KUBECONFIG=$state/kubeconfig"
  echo "export PATH=$(cat "$state/bin"):\$PATH"
}

status() {
  local c
  for c in "${components[@]}"; do
    if alive "$c"; then echo "$c: running (pid $(pid_of "$c"))"; else echo "$c: stopped"; fi
  done
  if alive kube-apiserver; then
    "$(cat "$state/bin")/kubectl" --kubeconfig "$state/kubeconfig" get nodes -L maas.dev/pool
  fi
  running
}

# The demo's parts, each its own process: the process kubelet (and a model server for the pods,
# on its bridge), the operator jar, and a kube-proxy double in front of the model's Service.
demo() {
  [ "$(id -u)" = 0 ] || die "demo: the process kubelet needs root (network namespaces, bubblewrap)"
  maas_prerequisites build cluster kubelet || die "demo: could not install what it needs (above)"
  local started
  started=$(date +%s)
  local jars=("$repo/operator/target/maas-operator.jar" "$repo/runtime/target/maas-runtime.jar" "$repo/e2e/target/maas-e2e.jar")
  local jar
  for jar in "${jars[@]}"; do
    if [ ! -f "$jar" ]; then
      say "building the jars (mvn package -DskipTests)"
      (cd "$repo" && mvn -B -q package -DskipTests) >&2
      break
    fi
  done
  if ! running; then
    cpu_nodes=0 # every CPU pod on the process kubelet's nodes
    up >/dev/null
  elif [ "$(kubectl_ get nodes -l type=kwok,maas.dev/pool=cpu --no-headers 2>/dev/null | wc -l)" != 0 ]; then
    die "demo: a cluster with kwok CPU nodes is running; 'e2e/local-cluster.sh down' first"
  fi
  local bin
  bin=$(cat "$state/bin")
  if ! alive process-kubelet; then
    start process-kubelet java -jar "$repo/e2e/target/maas-e2e.jar" kubelet \
      --kubeconfig "$state/kubeconfig" --state "$state/kubelet" \
      --runtime-jar "$repo/runtime/target/maas-runtime.jar" \
      --models "$repo/examples/models" --models-port 8000 --bridge maasdemo0 --subnet 10.250
    wait_for "the process kubelet" 60 grep -q "process kubelet: nodes" "$state/logs/process-kubelet.log" ||
      component_failed process-kubelet
  fi
  if ! alive operator; then
    KUBECONFIG="$state/maas-operator.kubeconfig" start operator java -jar "$repo/operator/target/maas-operator.jar" run \
      --config "$repo/examples/operator-config.yaml" --health-port $((base + 6))
    wait_for "the operator" 60 curl -sf "http://127.0.0.1:$((base + 6))/readyz" || component_failed operator
  fi
  # The example names https://models.example.com/...; here the process kubelet serves the same file.
  sed "s#uri: https://models.example.com/digits/v1/digits_mlp.pt#uri: http://10.250.0.1:8000/digits_mlp.pt#" \
    "$repo/examples/digits-cpu.yaml" | kubectl_ apply -f - >&2
  say "waiting for digits to load its model and become Ready"
  kubectl_ wait --for condition=Ready --timeout 300s modeldeployment/digits >&2 ||
    die "demo: digits did not become Ready; see kubectl describe md digits and $state/logs"
  if ! alive proxy; then
    start proxy java -jar "$repo/e2e/target/maas-e2e.jar" proxy --kubeconfig "$state/kubeconfig" \
      --service digits --port $((base + 7))
    wait_for "the service proxy" 30 grep -q "proxy: " "$state/logs/proxy.log" || component_failed proxy
  fi
  say "demo up in $(($(date +%s) - started)) s; 'e2e/local-cluster.sh down' stops everything"
  say "try: curl -s --noproxy '*' http://127.0.0.1:$((base + 7))/v2/models/digits"
  echo "http://127.0.0.1:$((base + 7))/v2/models/digits"
}

kubectl_() { "$(cat "$state/bin")/kubectl" --kubeconfig "$state/kubeconfig" "$@"; }

case "${1:-}" in
  build) binaries ;;
  up) up ;;
  demo) demo ;;
  down) down ;;
  env)
    running || die "not running: 'e2e/local-cluster.sh up' starts it"
    print_env
    ;;
  status) status ;;
  *)
    sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
