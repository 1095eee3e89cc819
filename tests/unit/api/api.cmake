# The object model: resource table, kinds, validation, defaults, quantities, base64, manifests,
# patches and server-side apply, and hostile inputs to all of them.
add_executable(api_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/api_apply_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_base64_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_config_validation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_container_validation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_disruption_validation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_hostile_input_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_patch_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_quantity_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_security_context_validation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_volume_validation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/job_validation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/deployment_validation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/manifest_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resources_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stored_kinds_validation_test.cpp
)
target_link_libraries(api_unit_tests PRIVATE kinda_api catch_main)
target_compile_definitions(api_unit_tests PRIVATE KINDA_EXAMPLES_DIR="${PROJECT_SOURCE_DIR}/examples")
kinda_test_cases(api_tests api_unit_tests resources_test api_base64_test api_quantity_test
                 api_config_validation_test api_container_validation_test
                 api_disruption_validation_test
                 api_security_context_validation_test
                 api_volume_validation_test deployment_validation_test)
kinda_test_cases(api_hostile_input_tests api_unit_tests api_hostile_input_test)
kinda_test_cases(api_apply_tests api_unit_tests api_apply_test)
kinda_test_cases(api_patch_tests api_unit_tests api_patch_test)
kinda_test_cases(manifest_tests api_unit_tests manifest_test)
kinda_test_cases(stored_kinds_validation_tests api_unit_tests stored_kinds_validation_test)
kinda_test_cases(job_validation_tests api_unit_tests job_validation_test)
