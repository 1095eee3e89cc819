# Server-side printing: kubectl's Table requests over the API socket (lists, objects, a watch),
# kinda get over the server's cells and, when kinda listens on TCP, real kubectl's columns.
add_test(NAME api_table_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/api_table_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(api_table_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
