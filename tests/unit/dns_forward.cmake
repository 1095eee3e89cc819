# Forwarding names outside the cluster domain: a real upstream Server on loopback, the server
# under test forwarding to it through c-ares, clients on plain sockets.
add_executable(dns_forward_tests ${CMAKE_CURRENT_LIST_DIR}/dns_forward_test.cpp)
target_link_libraries(dns_forward_tests PRIVATE kinda_dns catch_main Boost::system Threads::Threads)
add_test(NAME dns_forward_tests COMMAND dns_forward_tests)
set_tests_properties(dns_forward_tests PROPERTIES LABELS dns)
add_dependencies(dns_test_binaries dns_forward_tests)
