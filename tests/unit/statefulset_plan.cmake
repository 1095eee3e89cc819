# The StatefulSet controller's pure decisions and its revision history rules.
add_executable(statefulset_plan_tests ${CMAKE_CURRENT_LIST_DIR}/statefulset_plan_test.cpp)
target_link_libraries(statefulset_plan_tests PRIVATE kinda_controllers catch_main)
add_test(NAME statefulset_plan_tests COMMAND statefulset_plan_tests)
