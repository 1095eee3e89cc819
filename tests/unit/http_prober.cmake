# httpGet probes: the kubelet's request and verdict rules as pure functions, and the libcurl
# prober against a real HTTP server on the test's own io_context (and an HTTPS one where OpenSSL's
# headers are installed).
find_package(OpenSSL QUIET)
add_executable(http_prober_tests
  ${CMAKE_CURRENT_LIST_DIR}/http_probe_rules_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_prober_test.cpp
)
target_link_libraries(http_prober_tests PRIVATE kinda_kubelet catch_main)
if(OpenSSL_FOUND)
  target_compile_definitions(http_prober_tests PRIVATE KINDA_TEST_TLS)
  target_link_libraries(http_prober_tests PRIVATE OpenSSL::SSL)
endif()
add_test(NAME http_prober_tests COMMAND http_prober_tests)
