# examples/etcd-statefulset.yaml against the real etcd: three members bootstrapped through the
# headless service's DNS names, a key replicated, a deleted member rejoining from its PVC as the
# same member. Exit 77 means etcd/etcdctl (Debian: etcd-server, etcd-client) are not installed.
add_test(NAME etcd_e2e COMMAND ${CMAKE_CURRENT_LIST_DIR}/etcd_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(etcd_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
