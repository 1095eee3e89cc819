# kinda get's kubectl habits (-o jsonpath, -o custom-columns, --sort-by, --no-headers,
# --show-labels, -L) and kinda delete --wait, compared with real kubectl where it is installed.
add_test(NAME get_output_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/get_output_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(get_output_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
