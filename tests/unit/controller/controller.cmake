# The controllers' pure decisions: the StatefulSet plan and revision history, the Endpoints and
# EndpointSlice plans, the garbage collector's verdict on a dependent, the scheduler's node
# choice and the shape of the simulated Node objects.
add_executable(controller_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/endpoints_plan_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/node_status_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/owner_judgement_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scheduler_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/statefulset_plan_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/volume_plan_test.cpp
)
target_link_libraries(controller_unit_tests PRIVATE kinda_controllers catch_main)
kinda_test_cases(statefulset_plan_tests controller_unit_tests statefulset_plan_test)
kinda_test_cases(endpoints_plan_tests controller_unit_tests endpoints_plan_test)
kinda_test_cases(volume_plan_tests controller_unit_tests volume_plan_test)
kinda_test_cases(scheduler_tests controller_unit_tests scheduler_test node_status_test)
kinda_test_cases(garbage_collector_tests controller_unit_tests owner_judgement_test)
