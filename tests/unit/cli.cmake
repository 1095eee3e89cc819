add_executable(manifest_tests ${CMAKE_CURRENT_LIST_DIR}/manifest_test.cpp)
target_link_libraries(manifest_tests PRIVATE kinda_api catch_main)
add_test(NAME manifest_tests COMMAND manifest_tests)

add_executable(cli_tests
  ${CMAKE_CURRENT_LIST_DIR}/cli_api_client_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_args_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_json_text_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_printers_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_output_formats_test.cpp
)
target_link_libraries(cli_tests PRIVATE kinda_cli catch_main Threads::Threads)
add_test(NAME cli_tests COMMAND cli_tests)
