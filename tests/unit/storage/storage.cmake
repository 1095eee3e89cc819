add_executable(store_tests
  ${CMAKE_CURRENT_LIST_DIR}/store_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/store_migrations_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/store_crash_test.cpp
)
target_link_libraries(store_tests PRIVATE kinda_storage catch_main)
add_test(NAME store_tests COMMAND store_tests)
