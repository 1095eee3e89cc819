# The object model against hostile input: limits on depth, aliases and patches, decoding of
# wrong types, and the validators and accessors that used to throw.
add_executable(api_hostile_input_tests ${CMAKE_CURRENT_LIST_DIR}/api_hostile_input_test.cpp)
target_link_libraries(api_hostile_input_tests PRIVATE kinda_api catch_main)
add_test(NAME api_hostile_input_tests COMMAND api_hostile_input_tests)
