# securityContext (runAsUser/Group, groups, capabilities, no_new_privs, runAsNonRoot, validation)
# with the cluster as root (namespaces, none: enforced) and as nobody (none, namespaces-userns:
# reported not enforced). Exit 77 (skipped): not root, no kubectl or setpriv, or another mode.
foreach(mode namespaces none none-nobody namespaces-userns)
  add_test(NAME security_context_${mode}_e2e
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/security_context_e2e.sh $<TARGET_FILE:kinda> ${mode})
  set_tests_properties(security_context_${mode}_e2e PROPERTIES TIMEOUT 400 SKIP_RETURN_CODE 77)
endforeach()
