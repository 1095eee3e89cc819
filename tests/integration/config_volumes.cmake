# Volumes as the kubelet writes them (ConfigMap, Secret, projected, downwardAPI, emptyDir Memory,
# subPath, readOnly, readOnlyRootFilesystem, FailedMount) in each isolation mode.
foreach(mode namespaces none namespaces-userns)
  add_test(NAME config_volumes_${mode}_e2e
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/config_volumes_e2e.sh $<TARGET_FILE:kinda> ${mode})
  set_tests_properties(config_volumes_${mode}_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
endforeach()
