# The API machinery kubectl and client-go rely on: the kinds' field table, fieldValidation,
# managedFields and server-side apply.
add_executable(api_apply_tests ${CMAKE_CURRENT_LIST_DIR}/api_apply_test.cpp)
target_link_libraries(api_apply_tests PRIVATE kinda_api catch_main)
target_compile_definitions(api_apply_tests PRIVATE KINDA_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples")
add_test(NAME api_apply_tests COMMAND api_apply_tests)
