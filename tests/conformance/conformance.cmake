# Conformance: one script per scenario of Kubernetes' StatefulSet e2e tests
# (test/e2e/apps/statefulset.go), each against the real daemon and real processes on its own
# cluster, so they run in parallel. `ctest -L conformance` runs them all.
file(GLOB KINDA_CONFORMANCE_SCRIPTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.sh)
list(REMOVE_ITEM KINDA_CONFORMANCE_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/lib.sh)
foreach(script ${KINDA_CONFORMANCE_SCRIPTS})
  get_filename_component(scenario ${script} NAME_WE)
  add_test(NAME conformance_${scenario} COMMAND ${script} $<TARGET_FILE:kinda>)
  set_tests_properties(conformance_${scenario} PROPERTIES LABELS conformance TIMEOUT 180)
endforeach()
