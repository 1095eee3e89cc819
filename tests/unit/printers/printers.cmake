# kubectl's tables as the API server prints them (printers/): columns and cells of every kind.
add_executable(printers_unit_tests ${CMAKE_CURRENT_LIST_DIR}/printers_table_test.cpp
                                   ${CMAKE_CURRENT_LIST_DIR}/stored_rows_test.cpp)
target_link_libraries(printers_unit_tests PRIVATE kinda_printers catch_main)
kinda_test_cases(printers_tests printers_unit_tests printers_table_test)
kinda_test_cases(stored_rows_tests printers_unit_tests stored_rows_test)
