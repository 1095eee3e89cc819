# What the node commands print and which pods drain may evict.
add_executable(cli_nodes_tests ${CMAKE_CURRENT_LIST_DIR}/cli_drain_plan_test.cpp
                               ${CMAKE_CURRENT_LIST_DIR}/cli_printers_node_test.cpp)
target_link_libraries(cli_nodes_tests PRIVATE kinda_cli catch_main)
add_test(NAME cli_nodes_tests COMMAND cli_nodes_tests)
