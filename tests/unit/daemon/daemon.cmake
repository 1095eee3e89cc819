# config.json: api.listen parsing and overrides, and the pod address ranges claimed across
# $KINDA_HOMEs (storage/range_claims) and chosen by load_or_create_config; edits of config.json
# made after the daemon started (storage/config_drift).
add_executable(daemon_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/api_listen_config_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/config_drift_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/range_claims_test.cpp
)
target_link_libraries(daemon_unit_tests PRIVATE kinda_daemon catch_main)
kinda_test_cases(cluster_config_tests daemon_unit_tests api_listen_config_test)
kinda_test_cases(range_claims_tests daemon_unit_tests range_claims_test)
kinda_test_cases(config_drift_tests daemon_unit_tests config_drift_test)
