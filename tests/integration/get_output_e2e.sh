#!/usr/bin/env bash
# The get options kubectl users type by habit, on a three-pod set: -o jsonpath (range, filters,
# literals), -o custom-columns, --sort-by, --no-headers, --show-labels and -L; then kinda delete
# waiting for the object to be gone and --wait=false returning at once. Where kubectl and kinda's
# TCP listener are there, kubectl prints the same objects with its own JSONPath and the outputs
# must match byte for byte.
set -euo pipefail
kinda=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh" getout

with_kubectl=false
if command -v kubectl >/dev/null; then with_kubectl=true; fi
listen=()
if $with_kubectl; then listen=(--api-listen 127.0.0.1:0); fi
"$kinda" up --time-scale 0.05 "${listen[@]}" >/dev/null
{
  web_service; echo ---; web_set_head 3 1
  cat <<'YAML'
      - name: web
        image: busybox
        command: [sh, -c, 'exec sleep 3600']
YAML
} >"$KINDA_HOME/web.yaml"
"$kinda" apply -f "$KINDA_HOME/web.yaml" >/dev/null
"$kinda" rollout status sts/web --timeout 60s >/dev/null
"$kinda" label pod web-1 tier=cache role=replica >/dev/null 2>&1 ||
  "$kinda" patch pod web-1 --type merge -p '{"metadata":{"labels":{"tier":"cache","role":"replica"}}}' >/dev/null

# -o jsonpath: a template with range, quoted literals and escapes.
names=$("$kinda" get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}')
[ "$names" = $'web-0\tRunning\nweb-1\tRunning\nweb-2\tRunning' ] || fail "jsonpath range: $names"
ips=$("$kinda" get pods -o jsonpath='{.items[*].status.podIP}')
grep -Eq '^127\.[0-9.]+ 127\.[0-9.]+ 127\.[0-9.]+$' <<<"$ips" || fail "jsonpath list: $ips"
one=$("$kinda" get pod web-2 -o 'jsonpath={.metadata.name}:{.metadata.labels.app}')
[ "$one" = "web-2:web" ] || fail "jsonpath on one object: $one"
filtered=$("$kinda" get pods -o jsonpath='{.items[?(@.metadata.labels.tier=="cache")].metadata.name}')
[ "$filtered" = "web-1" ] || fail "jsonpath filter: $filtered"
if "$kinda" get pods -o 'jsonpath={.items[0' >/dev/null 2>"$KINDA_HOME/err"; then fail "bad template accepted"; fi
grep -q "error parsing jsonpath" "$KINDA_HOME/err" || fail "bad template message: $(cat "$KINDA_HOME/err")"
ok "-o jsonpath prints templates, ranges and filters; a bad template is an error"

# -o custom-columns and --no-headers.
cols=$("$kinda" get pods -o custom-columns=NAME:.metadata.name,TIER:.metadata.labels.tier)
[ "$(head -1 <<<"$cols")" = "NAME    TIER" ] || fail "custom-columns header: $cols"
grep -Eq '^web-1 +cache$' <<<"$cols" || fail "custom-columns row: $cols"
grep -Eq '^web-0 +<none>$' <<<"$cols" || fail "custom-columns <none>: $cols"
bare=$("$kinda" get pods --no-headers -o custom-columns=NAME:.metadata.name)
[ "$bare" = $'web-0\nweb-1\nweb-2' ] || fail "custom-columns --no-headers: $bare"
table=$("$kinda" get pods --no-headers)
[ "$(wc -l <<<"$table")" -eq 3 ] && ! grep -q '^NAME' <<<"$table" || fail "get --no-headers: $table"
ok "-o custom-columns prints kubectl's columns, <none> for missing fields; --no-headers drops the header"

# --sort-by: by name descending through a creation-order field, and by a label.
sorted=$("$kinda" get pods --sort-by='{.metadata.labels.tier}' -o custom-columns=N:.metadata.name --no-headers)
[ "$(tail -1 <<<"$sorted")" = "web-1" ] || fail "sort-by a label: $sorted"
sorted=$("$kinda" get pods --sort-by=.metadata.name --no-headers)
[ "$(awk '{print $1}' <<<"$sorted" | tr '\n' ' ')" = "web-0 web-1 web-2 " ] || fail "sort-by name: $sorted"
if "$kinda" get pods --sort-by=.status.nothing >/dev/null 2>"$KINDA_HOME/err"; then fail "sort-by a missing field"; fi
grep -q "couldn't find any field with path" "$KINDA_HOME/err" || fail "sort-by message: $(cat "$KINDA_HOME/err")"
ok "--sort-by orders rows by a JSONPath expression"

# --show-labels and -L.
labels=$("$kinda" get pods --show-labels)
head -1 <<<"$labels" | grep -Eq ' LABELS$' || fail "--show-labels header: $labels"
grep -Eq '^web-1 .* app=web,apps.kubernetes.io/pod-index=1,controller-revision-hash=[a-z0-9-]+,role=replica,statefulset.kubernetes.io/pod-name=web-1,tier=cache$' <<<"$labels" ||
  fail "--show-labels row: $labels"
cols=$("$kinda" get pods -L tier -L statefulset.kubernetes.io/pod-name)
head -1 <<<"$cols" | grep -Eq 'AGE +TIER +POD-NAME$' || fail "-L header: $cols"
grep -Eq '^web-1 .* cache +web-1$' <<<"$cols" || fail "-L row: $cols"
grep -Eq '^web-0 .*[0-9a-z]+ +web-0$' <<<"$cols" || fail "-L missing label: $cols"
ok "--show-labels and -L add kubectl's label columns"

if $with_kubectl; then
  export KUBECONFIG="$KINDA_HOME/kubeconfig"
  "$kinda" kubeconfig >"$KUBECONFIG"
  for args in "-o jsonpath={range.items[*]}{.metadata.name}{\"\\t\"}{.metadata.labels}{\"\\n\"}{end}" \
    "-o custom-columns=NAME:.metadata.name,TIER:.metadata.labels.tier,IMAGES:.spec.containers[*].image" \
    "--sort-by=.metadata.name -o custom-columns=NAME:.metadata.name --no-headers" \
    "-o jsonpath={.items[?(@.metadata.labels.role==\"replica\")].spec.containers[0].name}"; do
    read -r -a argv <<<"$args"
    theirs=$(kubectl get pods "${argv[@]}")
    ours=$("$kinda" get pods "${argv[@]}")
    [ "$ours" = "$theirs" ] || fail "kinda get pods $args differs from kubectl's:
--- kubectl
$theirs
--- kinda
$ours"
  done
  theirs=$(kubectl get pods --show-labels -L tier | awk '{print $1, $(NF-1), $NF}')
  ours=$("$kinda" get pods --show-labels -L tier | awk '{print $1, $(NF-1), $NF}')
  [ "$ours" = "$theirs" ] || fail "label columns differ from kubectl's: $theirs / $ours"
  ok "kubectl prints the same jsonpath, custom-columns, sort-by and label columns"
else
  echo "ok - kubectl comparison skipped: kubectl is not installed"
fi

# kinda delete waits for the pod to be gone; --wait=false returns while it terminates. The
# containers now ignore SIGTERM, so each pod takes its whole grace period (30 s × 0.05) to go.
"$kinda" patch sts web --type json -p '[
  {"op":"replace","path":"/spec/template/spec/terminationGracePeriodSeconds","value":30},
  {"op":"replace","path":"/spec/template/spec/containers/0/command",
   "value":["sh","-c","trap \"\" TERM; while true; do sleep 0.2; done"]}]' >/dev/null
"$kinda" rollout status sts/web --timeout 60s >/dev/null
uid() { "$kinda" get pod "$1" -o jsonpath='{.metadata.uid}' 2>/dev/null || true; }
before=$(uid web-0)
"$kinda" delete pod web-0 --wait=false >/dev/null
[ "$(uid web-0)" = "$before" ] || fail "--wait=false: web-0 went before its grace period"
[ -n "$("$kinda" get pod web-0 -o jsonpath='{.metadata.deletionTimestamp}')" ] ||
  fail "--wait=false: web-0 should be terminating"
before=$(uid web-2)
"$kinda" delete pod web-2 >/dev/null
[ "$(uid web-2)" != "$before" ] || fail "kinda delete returned while web-2 was still there"
ok "kinda delete waits until the object is gone; --wait=false does not"
echo "passed $passed"
