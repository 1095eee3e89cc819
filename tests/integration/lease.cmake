# coordination.k8s.io/v1 Leases end to end (CONTRIBUTING.md's worked example of adding a kind).
add_test(NAME lease_e2e COMMAND ${CMAKE_CURRENT_LIST_DIR}/lease_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(lease_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
