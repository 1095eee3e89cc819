# The service proxy: the Service/EndpointSlice translation, the endpoint picker and the store
# feed as pure logic (proxy_tests), and the proxy itself over real loopback sockets, TCP and UDP
# (proxy_socket_tests), fed from a real store as in the daemon.
add_executable(proxy_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/proxy_backend_picker_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/proxy_route_feed_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/proxy_route_translation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/proxy_store_to_socket_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/proxy_tcp_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/proxy_udp_test.cpp
)
target_link_libraries(proxy_unit_tests PRIVATE kinda_proxy catch_main Threads::Threads)
kinda_test_cases(proxy_tests proxy_unit_tests proxy_route_translation_test
                 proxy_backend_picker_test proxy_route_feed_test)
kinda_test_cases(proxy_socket_tests proxy_unit_tests proxy_tcp_test proxy_udp_test
                 proxy_store_to_socket_test)
