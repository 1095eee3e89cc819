# The CLI: argument parsing, the API client, and every printer (tables, describe, JSON text,
# jsonpath, custom-columns, sort-by, nodes, rollouts, config objects), kubeconfig and kinda dns.
add_executable(cli_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/cli_api_client_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_args_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_config_printers_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_dns_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_drain_plan_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_json_text_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_kubeconfig_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_output_formats_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_printers_node_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_printers_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_rollout_test.cpp
)
target_link_libraries(cli_unit_tests PRIVATE kinda_cli catch_main Threads::Threads)
kinda_test_cases(cli_tests cli_unit_tests cli_api_client_test cli_args_test cli_json_text_test
                 cli_printers_test cli_output_formats_test)
kinda_test_cases(cli_config_printers_tests cli_unit_tests cli_config_printers_test)
kinda_test_cases(cli_dns_tests cli_unit_tests cli_dns_test)
kinda_test_cases(cli_kubeconfig_tests cli_unit_tests cli_kubeconfig_test)
kinda_test_cases(cli_nodes_tests cli_unit_tests cli_drain_plan_test cli_printers_node_test)
kinda_test_cases(cli_rollout_tests cli_unit_tests cli_rollout_test)
