# The API server's pure parts and machinery: discovery, OpenAPI, read versions, the store's past
# states and filtered watch events; Tables and Accept negotiation; the token, the cluster CA and
# server certificate (tests/integration/api_tls_e2e.sh drives the listener itself).
find_package(OpenSSL REQUIRED)
add_executable(apiserver_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/admission_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_machinery_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_tls_material_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/eviction_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/node_ports_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/table_response_test.cpp
)
target_link_libraries(apiserver_unit_tests PRIVATE kinda_apiserver kinda_transport catch_main
                      OpenSSL::Crypto)
kinda_test_cases(api_machinery_tests apiserver_unit_tests api_machinery_test)
kinda_test_cases(node_ports_tests apiserver_unit_tests node_ports_test)
kinda_test_cases(admission_tests apiserver_unit_tests admission_test)
kinda_test_cases(table_response_tests apiserver_unit_tests table_response_test)
kinda_test_cases(api_tls_tests apiserver_unit_tests api_tls_material_test)
kinda_test_cases(eviction_tests apiserver_unit_tests eviction_test)
