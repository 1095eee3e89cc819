# The kubelet's parts: container launch (argv, env, working dir), image profiles (format, lookup
# order, ENTRYPOINT/CMD and ENV rules), pod status, the re-adoption
# scan and httpGet probes (the request and verdict rules, and the
# libcurl prober against a real HTTP server, an HTTPS one where OpenSSL's headers are installed).
find_package(OpenSSL QUIET)
add_executable(kubelet_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/container_launch_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_probe_rules_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/image_profile_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_prober_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pod_status_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/process_scan_test.cpp
)
target_link_libraries(kubelet_unit_tests PRIVATE kinda_kubelet catch_main)
if(OpenSSL_FOUND)
  target_compile_definitions(kubelet_unit_tests PRIVATE KINDA_TEST_TLS)
  target_link_libraries(kubelet_unit_tests PRIVATE OpenSSL::SSL)
endif()
kinda_test_cases(container_launch_tests kubelet_unit_tests container_launch_test)
kinda_test_cases(image_profile_tests kubelet_unit_tests image_profile_test)
kinda_test_cases(http_prober_tests kubelet_unit_tests http_probe_rules_test http_prober_test)
kinda_test_cases(pod_status_tests kubelet_unit_tests pod_status_test)
kinda_test_cases(process_scan_tests kubelet_unit_tests process_scan_test)

# pods/exec's options and stream on their own: the sanitized parser pass builds this binary and
# the streaming library, not the whole kubelet.
add_executable(pod_exec_tests ${CMAKE_CURRENT_LIST_DIR}/pod_exec_test.cpp)
target_link_libraries(pod_exec_tests PRIVATE kinda_kubelet_streaming catch_main)
add_test(NAME pod_exec_tests COMMAND pod_exec_tests)
