# pods/exec's request checks: options, the WebSocket subprotocol, repeated query parameters.
add_executable(pod_exec_tests ${CMAKE_CURRENT_LIST_DIR}/pod_exec_test.cpp)
target_link_libraries(pod_exec_tests PRIVATE kinda_kubelet catch_main)
add_test(NAME pod_exec_tests COMMAND pod_exec_tests)
