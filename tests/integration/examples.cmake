# The examples against the real programs they run (redis-server here; etcd and PostgreSQL in
# their own fragments). Exit 77 means the program is not installed: reported as skipped.
add_test(NAME redis_e2e COMMAND ${CMAKE_CURRENT_LIST_DIR}/redis_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(redis_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
