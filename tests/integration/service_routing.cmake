# ClusterIP, sessionAffinity, UDP, NodePort and endpoint changes through the daemon's service proxy.
add_test(NAME service_routing_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/service_routing_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(service_routing_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
