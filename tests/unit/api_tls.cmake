# The API's HTTPS listener: api.listen parsing and config, the token, the cluster CA and server
# certificate (tests/integration/api_tls_e2e.sh drives the listener itself with kubectl and curl).
add_executable(api_tls_tests
  ${CMAKE_CURRENT_LIST_DIR}/api_listen_config_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_tls_material_test.cpp
)
target_link_libraries(api_tls_tests PRIVATE kinda_daemon catch_main OpenSSL::Crypto)
add_test(NAME api_tls_tests COMMAND api_tls_tests)
