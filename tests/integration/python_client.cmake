# The official Python client, Debian's python3-kubernetes, against kinda's HTTPS listener, driving
# the seeds' Redis StatefulSet through its typed API (python_client_e2e). Exit 77 (skipped): the
# module or redis-server is not installed.
add_test(NAME python_client_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/python_client_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(python_client_e2e PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77)
