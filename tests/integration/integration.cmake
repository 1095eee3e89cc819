# End-to-end stories against the real binary: daemon, pods as processes, DNS over UDP/TCP.
add_test(NAME statefulset_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/statefulset_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(statefulset_e2e PROPERTIES TIMEOUT 600)

add_test(NAME pod_runtime_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/pod_runtime_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(pod_runtime_e2e PROPERTIES TIMEOUT 600)

add_test(NAME shim_crash_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/shim_crash_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(shim_crash_e2e PROPERTIES TIMEOUT 600)

add_test(NAME isolation_none_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/isolation_none_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(isolation_none_e2e PROPERTIES TIMEOUT 300)
