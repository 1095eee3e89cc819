add_executable(dns_tests
  ${CMAKE_CURRENT_LIST_DIR}/dns_wire_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dns_zone_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dns_server_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dns_answer_cache_test.cpp
)
target_link_libraries(dns_tests PRIVATE kinda_dns catch_main Boost::system Threads::Threads)
add_test(NAME dns_tests COMMAND dns_tests)
set_tests_properties(dns_tests PROPERTIES LABELS dns)
add_dependencies(dns_test_binaries dns_tests)
