# Pod address ranges claimed across $KINDA_HOMEs (storage/range_claims) and chosen by
# load_or_create_config.
add_executable(range_claims_tests ${CMAKE_CURRENT_LIST_DIR}/range_claims_test.cpp)
target_link_libraries(range_claims_tests PRIVATE kinda_daemon catch_main)
add_test(NAME range_claims_tests COMMAND range_claims_tests)
