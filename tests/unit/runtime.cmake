# Runtime tests spawn real processes; the sandbox tests (as root) also create namespaces, through a
# helper binary that plays the part of `kinda sandbox`.
add_executable(runtime_sandbox_helper ${CMAKE_CURRENT_LIST_DIR}/runtime_sandbox_helper.cpp)
target_link_libraries(runtime_sandbox_helper PRIVATE kinda_runtime)

add_executable(runtime_tests
  ${CMAKE_CURRENT_LIST_DIR}/runtime_process_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime_exit_watcher_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime_run_async_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/runtime_sandbox_test.cpp
)
target_link_libraries(runtime_tests PRIVATE kinda_runtime catch_main)
target_compile_definitions(runtime_tests PRIVATE
  KINDA_RUNTIME_SANDBOX_HELPER="$<TARGET_FILE:runtime_sandbox_helper>")
add_dependencies(runtime_tests runtime_sandbox_helper)
add_test(NAME runtime_tests COMMAND runtime_tests)
