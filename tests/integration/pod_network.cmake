# Every pod owns its address (bind, localhost, source addresses, fail closed) in each isolation mode.
foreach(mode namespaces none namespaces-userns)
  add_test(NAME pod_network_${mode}_e2e
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/pod_network_e2e.sh $<TARGET_FILE:kinda> ${mode})
  set_tests_properties(pod_network_${mode}_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
endforeach()
