# The DNS server in process (label "dns"): wire format, zone, answers over real UDP/TCP sockets,
# the answer cache, and forwarding to upstream servers.
add_executable(dns_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/dns_answer_cache_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dns_forward_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dns_server_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dns_wire_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dns_zone_test.cpp
)
target_link_libraries(dns_unit_tests PRIVATE kinda_dns catch_main Boost::system Threads::Threads)
kinda_test_cases(dns_tests dns_unit_tests dns_wire_test dns_zone_test dns_server_test
                 dns_answer_cache_test)
kinda_test_cases(dns_forward_tests dns_unit_tests dns_forward_test)
set_tests_properties(dns_tests dns_forward_tests PROPERTIES LABELS dns)
add_dependencies(dns_test_binaries dns_unit_tests)
