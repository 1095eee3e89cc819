# Hostile input and isolation against the real daemon: malformed, oversized, traversing input and
# abused HTTP refused with 4xx and no change; the API owner-only and every listener loopback-only.
# security_e2e needs root to act as another user: exit 77 (skipped) otherwise.
add_test(NAME hostile_input_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile_input_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(hostile_input_e2e PROPERTIES TIMEOUT 300 LABELS hostile)
add_test(NAME security_e2e COMMAND ${CMAKE_CURRENT_LIST_DIR}/security_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(security_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77 LABELS hostile)
