# Runtime tests spawn real processes; the sandbox tests (as root) also create namespaces, through
# helper binaries that play the part of `kinda sandbox`, and of a user without root; the cgroup
# tests (where cgroups are usable) create real groups and drive one into an OOM kill.
add_executable(runtime_sandbox_helper ${CMAKE_CURRENT_LIST_DIR}/runtime_sandbox_helper.cpp)
target_link_libraries(runtime_sandbox_helper PRIVATE kinda_runtime)
add_executable(runtime_unprivileged_helper ${CMAKE_CURRENT_LIST_DIR}/runtime_unprivileged_helper.cpp)
target_link_libraries(runtime_unprivileged_helper PRIVATE kinda_runtime)
add_executable(runtime_memory_hog ${CMAKE_CURRENT_LIST_DIR}/runtime_memory_hog.cpp)

add_executable(runtime_tests
  ${CMAKE_CURRENT_LIST_DIR}/runtime_process_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime_exit_watcher_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime_run_async_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime_sandbox_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime_sandbox_userns_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime_isolation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime_cgroup_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime_cgroup_parsing_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime_net_policy_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime_net_supervisor_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime_read_only_root_test.cpp
)
target_link_libraries(runtime_tests PRIVATE kinda_runtime catch_main)
target_compile_definitions(runtime_tests PRIVATE
  KINDA_RUNTIME_SANDBOX_HELPER="$<TARGET_FILE:runtime_sandbox_helper>"
  KINDA_RUNTIME_UNPRIVILEGED_HELPER="$<TARGET_FILE:runtime_unprivileged_helper>"
  KINDA_RUNTIME_MEMORY_HOG="$<TARGET_FILE:runtime_memory_hog>")
add_dependencies(runtime_tests runtime_sandbox_helper runtime_unprivileged_helper
                 runtime_memory_hog)
add_test(NAME runtime_tests COMMAND runtime_tests)
