# ClusterIP and NodePort routing through the daemon's service proxy (skipped until the API serves
# EndpointSlices).
add_test(NAME service_proxy_e2e COMMAND ${CMAKE_CURRENT_LIST_DIR}/service_proxy_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(service_proxy_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
