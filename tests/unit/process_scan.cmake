# The scan of /proc the pod manager uses to end what a dead shim or daemon left running.
add_executable(process_scan_tests ${CMAKE_CURRENT_LIST_DIR}/process_scan_test.cpp)
target_link_libraries(process_scan_tests PRIVATE kinda_kubelet catch_main)
add_test(NAME process_scan_tests COMMAND process_scan_tests)
