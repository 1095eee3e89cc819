# The replay runs in every build; the libFuzzer binary only with clang.
add_executable(dns_fuzz_replay
  ${CMAKE_CURRENT_LIST_DIR}/dns_fuzz_replay_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dns_packet_fuzz.cpp
)
target_link_libraries(dns_fuzz_replay PRIVATE kinda_dns catch_main)
add_test(NAME dns_fuzz_replay COMMAND dns_fuzz_replay)

if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  # Compile the DNS sources again with coverage instrumentation so the fuzzer can steer.
  get_target_property(kinda_dns_sources kinda_dns SOURCES)
  get_target_property(kinda_dns_dir kinda_dns SOURCE_DIR)
  list(TRANSFORM kinda_dns_sources PREPEND ${kinda_dns_dir}/)
  add_executable(dns_packet_fuzz ${CMAKE_CURRENT_LIST_DIR}/dns_packet_fuzz.cpp ${kinda_dns_sources})
  target_compile_options(dns_packet_fuzz PRIVATE -fsanitize=fuzzer,address)
  target_link_options(dns_packet_fuzz PRIVATE -fsanitize=fuzzer,address)
  target_link_libraries(dns_packet_fuzz PRIVATE kinda_api Boost::system spdlog::spdlog Threads::Threads)
endif()
