# Unmodified kubectl against kinda's HTTPS listener, driving the seeds' Redis StatefulSet
# (kubectl_e2e). Exit 77 (skipped): kubectl or redis-server is not installed.
add_test(NAME kubectl_e2e COMMAND ${CMAKE_CURRENT_LIST_DIR}/kubectl_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(kubectl_e2e PROPERTIES TIMEOUT 900 SKIP_RETURN_CODE 77)
