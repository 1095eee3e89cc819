# Patches as the API server applies them: strategic merge, JSON merge patch, JSON patch.
add_executable(api_patch_tests ${CMAKE_CURRENT_LIST_DIR}/api_patch_test.cpp)
target_link_libraries(api_patch_tests PRIVATE kinda_api catch_main)
add_test(NAME api_patch_tests COMMAND api_patch_tests)
