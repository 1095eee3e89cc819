#!/usr/bin/env bash
# e2e "Should recreate evicted statefulset": a pod of the set that goes Failed (the e2e makes the
# kubelet reject it over a host port; here its status turns Failed as a kubelet writes it when it
# rejects or evicts a pod) is deleted by the controller and recreated with the same name and a new
# uid; so is a pod evicted through the Eviction API. A killed container, by contrast, is restarted in
# place by the kubelet.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" recreate_failed_pod

up
apply_service
apply_set replicas=1 claims=no probe=no
wait_ready web-0
old=$(uid_of web-0)
rv0=$(rv_of_pods)

api PATCH "$PODS/web-0/status" '{"status":{"phase":"Failed","reason":"Evicted","message":"conformance: the pod failed"}}' \
  application/merge-patch+json > "$KINDA_HOME/patched.json"
[ "$(jq -r .status.phase "$KINDA_HOME/patched.json")" = Failed ] || fail "status patch: $(cat "$KINDA_HOME/patched.json")"
recreated() {
  local u
  u=$(uid_of web-0)
  [ -n "$u" ] && [ "$u" != "$old" ] && pod_running_ready web-0
}
wait_for "web-0 recreated Running with a new uid" recreated
watch_since "$rv0" | grep -q '^DELETED web-0 ' || fail "no DELETED event for the failed web-0"
"$kinda" get events -o json | jq -e '[.items[] | select(.reason == "SuccessfulDelete" and (.message | test("web-0")))] | length > 0' >/dev/null ||
  fail "no SuccessfulDelete event for web-0"
ok "a Failed web-0 is deleted by the controller and recreated Running with a new uid"

old=$(uid_of web-0)
body='{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"web-0","namespace":"default"}}'
code=$(curl -sS -o "$KINDA_HOME/eviction.json" -w '%{http_code}' --unix-socket "$SOCK" -X POST \
  -H 'Content-Type: application/json' --data-binary "$body" "http://kinda$PODS/web-0/eviction")
[ "$code" = 201 ] || [ "$code" = 200 ] || fail "eviction answered $code: $(cat "$KINDA_HOME/eviction.json")"
wait_for "evicted web-0 recreated Running with a new uid" recreated
ok "an evicted web-0 is recreated Running with a new uid"

# A container that dies does not fail a restartPolicy Always pod: the kubelet restarts it in place
# (same uid, restartCount 1) and the controller leaves the pod alone.
old=$(uid_of web-0)
pid=$(main_pid web-0)
[ "$(wc -w <<<"$pid")" = 1 ] || fail "container process of web-0: '$pid'"
kill -KILL "$pid"
restarted() {
  [ "$(jget pod web-0 '.status.containerStatuses[0].restartCount')" = 1 ] && pod_running_ready web-0
}
wait_for "web-0's container restarted" restarted
[ "$(uid_of web-0)" = "$old" ] || fail "web-0 was replaced (uid changed) instead of its container restarted"
[ "$(jget pod web-0 '.status.containerStatuses[0].lastState.terminated.exitCode')" = 137 ] ||
  fail "lastState of web-0: $(jget pod web-0 '.status.containerStatuses[0].lastState')"
[ "$(main_pid web-0)" != "$pid" ] || fail "web-0 still runs the killed process"
ok "a killed container is restarted in place: same uid, restartCount 1, lastState exit code 137"

finish
