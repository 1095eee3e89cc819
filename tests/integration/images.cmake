# Image profiles (images/) against the real programs they run: `kinda images`, user and cluster
# profiles, the postgres contract, and the mysql and mariadb profiles over Debian's MariaDB.
# Exit 77: the programs are not installed or not root; reported as skipped.
add_test(NAME image_profiles_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/image_profiles_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(image_profiles_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
add_test(NAME image_mysql_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/mysql_profiles_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(image_mysql_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
