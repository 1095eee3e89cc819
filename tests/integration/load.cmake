# Load: a 100-pod rolling update under 50 API clients (watchers checked against the revision
# log) and a dnsperf stream. Skipped (77) without dnsperf; the script prints why.
add_test(NAME load_e2e COMMAND ${CMAKE_CURRENT_LIST_DIR}/load_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(load_e2e PROPERTIES TIMEOUT 420 SKIP_RETURN_CODE 77)
