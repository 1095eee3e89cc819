# The shim's own parts: log rotation and its spec file. The shim process itself is exercised by
# the integration stories (pod_runtime_e2e, shim_crash_e2e) against the real binary.
add_executable(shim_tests ${CMAKE_CURRENT_LIST_DIR}/shim_rotating_log_test.cpp)
target_link_libraries(shim_tests PRIVATE kinda_shim catch_main)
add_test(NAME shim_tests COMMAND shim_tests)
