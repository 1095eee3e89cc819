# PostgreSQL primary + streaming replicas (examples/postgres-statefulset.yaml): ordered bootstrap,
# pg_basebackup from db-0.db, replication seen on both sides, a standby restarted on its PVC.
# Exit 77: the PostgreSQL binaries or psql are missing, or not run as root.
add_test(NAME postgres_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/postgres_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(postgres_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
