# kubectl's rollout output for StatefulSets and kinda's table additions (revisions, claims, events).
add_executable(cli_rollout_tests ${CMAKE_CURRENT_LIST_DIR}/cli_rollout_test.cpp)
target_link_libraries(cli_rollout_tests PRIVATE kinda_cli catch_main)
add_test(NAME cli_rollout_tests COMMAND cli_rollout_tests)
