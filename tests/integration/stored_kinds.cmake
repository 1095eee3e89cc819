# ServiceAccounts, RBAC, NetworkPolicies and PriorityClasses end to end with kubectl.
add_test(NAME stored_kinds_e2e COMMAND ${CMAKE_CURRENT_LIST_DIR}/stored_kinds_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(stored_kinds_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
