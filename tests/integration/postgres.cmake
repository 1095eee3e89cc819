# PostgreSQL primary + streaming replicas (examples/postgres-statefulset.yaml): ordered bootstrap,
# pg_basebackup from db-0.db, replication seen on both sides, a standby restarted on its PVC.
# Exit 77: the PostgreSQL binaries or psql are missing, or not run as root.
add_test(NAME postgres_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/postgres_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(postgres_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)

# The seeds' db StatefulSet (examples/seed-db.yaml) through the postgres image profile: three
# independent servers as the postgres user, data kept across pod deletion, psql from another pod
# to db-N.db; without the password the image's message and CrashLoopBackOff.
add_test(NAME seed_db_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/seed_db_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(seed_db_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)

# examples/app-stack.yaml applied unchanged with kubectl: a PostgreSQL StatefulSet on its own
# StorageClass, a PDB, a migration Job, a Deployment client, a ServiceAccount and its Role.
add_test(NAME app_stack_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/app_stack_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(app_stack_e2e PROPERTIES TIMEOUT 400 SKIP_RETURN_CODE 77)
