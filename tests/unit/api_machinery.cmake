# The API machinery kubectl and client-go rely on: the kinds' field table, fieldValidation,
# managedFields and server-side apply (api_apply_tests); discovery, OpenAPI, read versions and
# watch filtering (api_machinery_tests).
add_executable(api_apply_tests ${CMAKE_CURRENT_LIST_DIR}/api_apply_test.cpp)
target_link_libraries(api_apply_tests PRIVATE kinda_api catch_main)
target_compile_definitions(api_apply_tests PRIVATE KINDA_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples")
add_test(NAME api_apply_tests COMMAND api_apply_tests)

# Discovery, OpenAPI, read versions, the store's past states and filtered watch events.
add_executable(api_machinery_tests ${CMAKE_CURRENT_LIST_DIR}/api_machinery_test.cpp)
target_link_libraries(api_machinery_tests PRIVATE kinda_apiserver catch_main)
add_test(NAME api_machinery_tests COMMAND api_machinery_tests)
