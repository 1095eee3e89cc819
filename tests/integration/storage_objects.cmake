# StorageClasses and PersistentVolumes end to end: provisioning, binding, reclaim, expansion.
add_test(NAME storage_objects_e2e COMMAND ${CMAKE_CURRENT_LIST_DIR}/storage_objects_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(storage_objects_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
