# Simulated nodes: scheduling spread, cordon, drain, and a node lost with its pods moving on.
add_test(NAME nodes_e2e COMMAND ${CMAKE_CURRENT_LIST_DIR}/nodes_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(nodes_e2e PROPERTIES TIMEOUT 600)
