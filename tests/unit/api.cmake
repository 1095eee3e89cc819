add_executable(api_tests
  ${CMAKE_CURRENT_LIST_DIR}/resources_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_base64_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_quantity_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_config_validation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_container_validation_test.cpp
)
target_link_libraries(api_tests PRIVATE kinda_api catch_main)
add_test(NAME api_tests COMMAND api_tests)
