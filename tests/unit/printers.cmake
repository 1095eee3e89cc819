# kubectl's tables as the API server prints them (printers/), and how the daemon answers a client
# that asks for them: Accept negotiation, includeObject, Tables for lists, objects and watches.
add_executable(printers_tests ${CMAKE_CURRENT_LIST_DIR}/printers_table_test.cpp)
target_link_libraries(printers_tests PRIVATE kinda_printers catch_main)
add_test(NAME printers_tests COMMAND printers_tests)

add_executable(table_response_tests ${CMAKE_CURRENT_LIST_DIR}/table_response_test.cpp)
target_link_libraries(table_response_tests PRIVATE kinda_apiserver catch_main)
add_test(NAME table_response_tests COMMAND table_response_tests)
