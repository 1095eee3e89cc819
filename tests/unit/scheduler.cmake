# The scheduler's node choice and the shape of the simulated Node objects.
add_executable(scheduler_tests ${CMAKE_CURRENT_LIST_DIR}/scheduler_test.cpp
                               ${CMAKE_CURRENT_LIST_DIR}/node_status_test.cpp)
target_link_libraries(scheduler_tests PRIVATE kinda_controllers catch_main)
add_test(NAME scheduler_tests COMMAND scheduler_tests)
