# kubectl and curl against the API's HTTPS listener (kinda up --api-listen, kinda kubeconfig).
# Exit 77 (skipped) only when kubectl or curl is missing.
add_test(NAME api_tls_e2e COMMAND ${CMAKE_CURRENT_LIST_DIR}/api_tls_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(api_tls_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
