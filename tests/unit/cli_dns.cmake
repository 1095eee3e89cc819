# What `kinda dns` asks for what the user typed, and which failure it reports.
add_executable(cli_dns_tests ${CMAKE_CURRENT_LIST_DIR}/cli_dns_test.cpp)
target_link_libraries(cli_dns_tests PRIVATE kinda_cli catch_main)
add_test(NAME cli_dns_tests COMMAND cli_dns_tests)
