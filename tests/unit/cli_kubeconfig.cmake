# kinda kubeconfig: rendering and merging kubeconfig files.
add_executable(cli_kubeconfig_tests ${CMAKE_CURRENT_LIST_DIR}/cli_kubeconfig_test.cpp)
target_link_libraries(cli_kubeconfig_tests PRIVATE kinda_cli catch_main)
add_test(NAME cli_kubeconfig_tests COMMAND cli_kubeconfig_tests)
