#!/usr/bin/env bash
# e2e "should have a working scale subresource": GET /scale shows spec and status replicas; a PUT
# and a patch of /scale change the set's spec.replicas; `kinda scale` does the same, and the pods
# follow.
set -euo pipefail
kinda=$1
source "$(dirname "$0")/lib.sh" scale_subresource

up
apply_service
apply_set replicas=1 claims=no
wait_ready web-0
wait_status replicas 1
api GET "$STS/web/scale" > "$KINDA_HOME/scale.json"
s() { jq -r "$1" "$KINDA_HOME/scale.json"; }
[ "$(s .kind)/$(s .apiVersion)" = Scale/autoscaling/v1 ] || fail "GET scale: $(cat "$KINDA_HOME/scale.json")"
[ "$(s .metadata.name)/$(s .spec.replicas)/$(s .status.replicas)" = web/1/1 ] || fail "GET scale: $(cat "$KINDA_HOME/scale.json")"
[ "$(s .status.selector)" = app=web ] || fail "scale status.selector: $(s .status.selector)"
ok "GET /scale: Scale autoscaling/v1, spec.replicas 1, status.replicas 1, selector app=web"

jq '.spec.replicas = 2 | .metadata.resourceVersion = ""' "$KINDA_HOME/scale.json" > "$KINDA_HOME/put.json"
api PUT "$STS/web/scale" "$(cat "$KINDA_HOME/put.json")" > "$KINDA_HOME/scale.json"
[ "$(s .spec.replicas)" = 2 ] || fail "PUT scale answered: $(cat "$KINDA_HOME/scale.json")"
[ "$(jget sts web .spec.replicas)" = 2 ] || fail "spec.replicas $(jget sts web .spec.replicas) after PUT scale"
wait_ready web-1
wait_status replicas 2
ok "PUT /scale with replicas 2 (unconditional): spec.replicas 2, web-1 created"

api PATCH "$STS/web/scale" '{"spec":{"replicas":4}}' application/strategic-merge-patch+json > "$KINDA_HOME/scale.json"
[ "$(s .spec.replicas)" = 4 ] || fail "PATCH scale answered: $(cat "$KINDA_HOME/scale.json")"
[ "$(jget sts web .spec.replicas)" = 4 ] || fail "spec.replicas $(jget sts web .spec.replicas) after PATCH scale"
wait_ready web-2 web-3
ok "strategic merge PATCH of /scale to 4: spec.replicas 4, 4 pods"

"$kinda" scale sts web --replicas=1 >/dev/null
[ "$(jget sts web .spec.replicas)" = 1 ] || fail "spec.replicas $(jget sts web .spec.replicas) after kinda scale"
wait_pods "web-0"
wait_status replicas 1
api GET "$STS/web/scale" > "$KINDA_HOME/scale.json"
[ "$(s .spec.replicas)/$(s .status.replicas)" = 1/1 ] || fail "GET scale after kinda scale: $(cat "$KINDA_HOME/scale.json")"
ok "kinda scale sts web --replicas=1: back to web-0 alone, /scale says 1/1"

finish
