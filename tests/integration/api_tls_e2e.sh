#!/usr/bin/env bash
# The API over loopback TCP for kubectl and client libraries: `kinda up --api-listen 127.0.0.1:0`
# serves HTTPS with the cluster's own CA and a bearer token, `kinda kubeconfig` points unmodified
# kubectl at it, requests without the token get 401, plain HTTP is refused without harm, watches
# stream over TLS, the port is bound on 127.0.0.1 only, the secrets are 0600 in a 0700 pki/, and a
# restart keeps the certificate, the token and the port.
set -euo pipefail
kinda=$1
for tool in kubectl curl; do
  command -v $tool >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
done
source "$(dirname "$0")/lib.sh" api-tls
root=$KINDA_HOME/$KINDA_CLUSTER
kubeconfig=$KINDA_HOME/kubeconfig
http_code() { curl -sS --max-time 20 -o "$KINDA_HOME/body" -w '%{http_code}' "$@" || true; }

# A refused address never starts a daemon.
! KINDA_CLUSTER=wide "$kinda" up --api-listen 0.0.0.0:6443 >/dev/null 2>"$KINDA_HOME/err" ||
  fail "a wildcard --api-listen started"
grep -q "only loopback addresses" "$KINDA_HOME/err" || fail "unclear refusal: $(cat "$KINDA_HOME/err")"
ok "--api-listen 0.0.0.0:6443 is refused: $(grep -o 'only loopback[^;]*' "$KINDA_HOME/err" | head -1)"

"$kinda" up --time-scale 0.2 >/dev/null
! "$kinda" kubeconfig >/dev/null 2>"$KINDA_HOME/err" || fail "kubeconfig without a listener"
grep -q -- "--api-listen 127.0.0.1:0" "$KINDA_HOME/err" || fail "no hint: $(cat "$KINDA_HOME/err")"
"$kinda" down >/dev/null
! "$kinda" kubeconfig >/dev/null 2>"$KINDA_HOME/err" || fail "kubeconfig of a stopped cluster"
grep -q "is not running" "$KINDA_HOME/err" || fail "stopped cluster: $(cat "$KINDA_HOME/err")"
ok "kinda kubeconfig says how to add a listener, and when the cluster is not running"

has "HTTPS API: https://127.0.0.1:" "$kinda" up --time-scale 0.2 --api-listen 127.0.0.1:0
listen=$(cat "$root/run/api.listen")
port=${listen##*:}
[ "${listen%:*}" = 127.0.0.1 ] && [ "$port" -gt 0 ] || fail "run/api.listen: $listen"
"$kinda" kubeconfig >"$kubeconfig"
grep -q "server: https://$listen" "$kubeconfig" || fail "kubeconfig server: $(cat "$kubeconfig")"
has '"gitVersion"' kubectl --kubeconfig "$kubeconfig" get --raw /version
has '"name":"kube-system"' kubectl --kubeconfig "$kubeconfig" get --raw /api/v1/namespaces
[ "$(kubectl --kubeconfig "$kubeconfig" config current-context)" = "kinda-$KINDA_CLUSTER" ]
ok "kubectl reads /version and /api/v1/namespaces through kinda kubeconfig ($listen)"

token=$(cat "$root/pki/token")
url=https://127.0.0.1:$port
[ "$(http_code --cacert "$root/pki/ca.crt" -H "Authorization: Bearer $token" "$url/api/v1/namespaces")" = 200 ] ||
  fail "with the token: $(cat "$KINDA_HOME/body")"
[ "$(http_code --cacert "$root/pki/ca.crt" "$url/api/v1/namespaces")" = 401 ] || fail "no token was let in"
grep -q '"reason":"Unauthorized"' "$KINDA_HOME/body" && grep -q '"kind":"Status"' "$KINDA_HOME/body" ||
  fail "401 body: $(cat "$KINDA_HOME/body")"
[ "$(http_code --cacert "$root/pki/ca.crt" -H "Authorization: Bearer ${token}0" "$url/version")" = 401 ] ||
  fail "a longer token was let in"
[ "$(http_code --cacert "$root/pki/ca.crt" -H "Authorization: Bearer ${token%?}x" "$url/api/v1/secrets")" = 401 ] ||
  fail "a wrong token was let in"
[ "$(http_code --cacert "$root/pki/ca.crt" -H "Authorization: Basic $token" "$url/version")" = 401 ] ||
  fail "a token under another scheme was let in"
sed "s/token: .*/token: ${token%?}x/" "$kubeconfig" >"$KINDA_HOME/wrong"
! kubectl --kubeconfig "$KINDA_HOME/wrong" get --raw /api/v1/namespaces 2>"$KINDA_HOME/err" >/dev/null
grep -q "You must be logged in to the server (Unauthorized)" "$KINDA_HOME/err" ||
  fail "kubectl with a wrong token: $(cat "$KINDA_HOME/err")"
ok "curl with the CA and token: 200; no token, a wrong one or another scheme: 401 Status; kubectl says Unauthorized"

# TLS is checked against the cluster CA: an unknown CA fails, and so does plain HTTP, cleanly.
! curl -sS --max-time 20 -o /dev/null "$url/version" 2>"$KINDA_HOME/err" || fail "curl trusted the cluster CA by default"
code=$(http_code "http://127.0.0.1:$port/version")
[ "$code" != 200 ] || fail "plain HTTP was answered"
[ "$code" = 000 ] || grep -q "HTTP request to an HTTPS server" "$KINDA_HOME/body" ||
  fail "plain HTTP got $code: $(cat "$KINDA_HOME/body")"
plain_answer=$(head -c 60 "$KINDA_HOME/body" | tr -d '\r\n')
printf 'GARBAGE\r\n\r\n' | timeout 20 "$python" -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=15)
s.sendall(sys.stdin.buffer.read()); s.recv(100)' "$port" || true
[ "$(http_code --cacert "$root/pki/ca.crt" -H "Authorization: Bearer $token" "$url/version")" = 200 ] ||
  fail "the daemon stopped answering after plain HTTP"
"$kinda" status >/dev/null
ok "plain HTTP to the TLS port gets $code ($plain_answer), garbage is dropped, the daemon answers on"

# The same limits as on the Unix socket: a body over 8 MiB gets 413, over TLS too.
head -c $((9 * 1024 * 1024)) /dev/zero | tr '\0' a >"$KINDA_HOME/big"
[ "$(http_code --cacert "$root/pki/ca.crt" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' --data-binary @"$KINDA_HOME/big" \
  "$url/api/v1/namespaces/default/configmaps")" = 413 ] || fail "oversized body: $(head -c 200 "$KINDA_HOME/body")"
ok "a 9 MiB body over TLS gets 413"

# A watch streams over TLS: the reply's headers arrive, then the event of an object made later.
curl -sS -N --max-time 60 --cacert "$root/pki/ca.crt" -H "Authorization: Bearer $token" \
  -D "$KINDA_HOME/watch.headers" -o "$KINDA_HOME/watch.out" \
  "$url/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dtls-watched" &
watcher=$!
wait_for "the watch's reply headers" grep -q "^HTTP/1.1 200" "$KINDA_HOME/watch.headers"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tls-watched}\ndata: {k: v}\n' |
  "$kinda" apply -f - >/dev/null
# (Either key order: the event's "type" may follow its "object".)
wait_for "the ADDED event over TLS" grep -qE '"type":"ADDED".*"name":"tls-watched"|"name":"tls-watched".*"type":"ADDED"' "$KINDA_HOME/watch.out"
kill "$watcher" 2>/dev/null || true
wait "$watcher" 2>/dev/null || true
grep -qi "transfer-encoding: chunked" "$KINDA_HOME/watch.headers" || fail "the watch is not chunked"
ok "a watch over TLS streams the ADDED event of a ConfigMap applied after it started"

# Loopback only: every socket listening on the port is bound to 127.0.0.1.
bound=$(ss -ltnH "sport = :$port" | awk '{print $4}' | sort -u)
[ "$bound" = "127.0.0.1:$port" ] || fail "listening on: $bound"
ok "the listener is bound to 127.0.0.1:$port only"

[ "$(stat -c %a "$root/pki")" = 700 ] || fail "pki/ is $(stat -c %a "$root/pki")"
for file in token ca.key server.key; do
  [ "$(stat -c %a "$root/pki/$file")" = 600 ] || fail "pki/$file is $(stat -c %a "$root/pki/$file")"
done
[ ${#token} = 64 ] || fail "the token has ${#token} characters"
ok "pki/ is 0700; token, ca.key and server.key are 0600; the token has 64 hex digits"

# A restart without the flag keeps the listener (config.json), its identity, token and port.
before=$(cat "$root/pki/ca.crt" "$root/pki/server.crt" "$root/pki/token" | sha256sum)
grep -q '"listen": "127.0.0.1:0"' "$root/config.json" || fail "config.json: $(cat "$root/config.json")"
"$kinda" down >/dev/null
"$kinda" up --time-scale 0.2 >/dev/null
[ "$(cat "$root/pki/ca.crt" "$root/pki/server.crt" "$root/pki/token" | sha256sum)" = "$before" ] ||
  fail "the certificates or the token changed across a restart"
[ "$(cat "$root/run/api.listen")" = "$listen" ] || fail "the port moved: $(cat "$root/run/api.listen")"
has '"gitVersion"' kubectl --kubeconfig "$kubeconfig" get --raw /version
ok "after a restart the same CA, certificate, token and port serve: the old kubeconfig still works"

# --write merges into $KUBECONFIG's first file, keeping what was there.
export KUBECONFIG=$KINDA_HOME/kube/config:$KINDA_HOME/other
mkdir -p "$KINDA_HOME/kube"
cat >"$KINDA_HOME/kube/config" <<YAML
apiVersion: v1
kind: Config
clusters: [{name: other, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: other, user: {token: "12345"}}]
contexts: [{name: other, context: {cluster: other, user: other}}]
current-context: other
YAML
has "kinda-$KINDA_CLUSTER" "$kinda" kubeconfig --write
[ "$(kubectl config current-context)" = "kinda-$KINDA_CLUSTER" ]
[ "$(kubectl config get-contexts -o name | sort | tr '\n' ' ')" = "kinda-$KINDA_CLUSTER other " ] ||
  fail "contexts: $(kubectl config get-contexts -o name)"
[ "$(stat -c %a "$KINDA_HOME/kube/config")" = 600 ] || fail "kubeconfig mode $(stat -c %a "$KINDA_HOME/kube/config")"
has '"name":"default"' kubectl get --raw /api/v1/namespaces/default
"$kinda" kubeconfig --write >/dev/null
[ "$(kubectl config get-contexts -o name | wc -l)" = 2 ] || fail "a second --write added entries"
export KUBECONFIG=$KINDA_HOME/new/dir/config
"$kinda" kubeconfig --write >/dev/null
[ "$(stat -c %a "$KUBECONFIG")" = 600 ] || fail "new kubeconfig mode $(stat -c %a "$KUBECONFIG")"
has '"gitVersion"' kubectl get --raw /version
unset KUBECONFIG
ok "kubeconfig --write merges into \$KUBECONFIG's first file (others kept, 0600), again without duplicates, or creates it"

"$kinda" down >/dev/null
echo "$passed passed, 0 failed"
