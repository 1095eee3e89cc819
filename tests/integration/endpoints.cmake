# v1 Endpoints and discovery.k8s.io/v1 EndpointSlices kept by the endpoints controller, NodePort
# allocation, and DNS answering from the same endpoint rule.
add_test(NAME endpoints_e2e COMMAND ${CMAKE_CURRENT_LIST_DIR}/endpoints_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(endpoints_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
