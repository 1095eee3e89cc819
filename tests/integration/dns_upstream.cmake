# Names outside the cluster domain: forwarded to an upstream (a dnsmasq the script starts on
# loopback) or refused; `kinda dns` against a real StatefulSet. Exit 77: dnsmasq is not installed.
add_test(NAME dns_upstream_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/dns_upstream_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(dns_upstream_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
