add_executable(manifest_tests ${CMAKE_CURRENT_LIST_DIR}/manifest_test.cpp)
target_link_libraries(manifest_tests PRIVATE kinda_api catch_main)
add_test(NAME manifest_tests COMMAND manifest_tests)
