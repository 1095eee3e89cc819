# The replay runs in every build, over the seed corpus and thousands of generated packets;
# the libFuzzer binary only with -DKINDA_FUZZ=ON (clang).
set(KINDA_DNS_CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus/dns)
add_executable(dns_fuzz_replay
  ${CMAKE_CURRENT_LIST_DIR}/dns_fuzz_replay_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dns_packet_fuzz.cpp
)
target_link_libraries(dns_fuzz_replay PRIVATE kinda_dns catch_main)
target_compile_definitions(dns_fuzz_replay PRIVATE KINDA_DNS_CORPUS="${KINDA_DNS_CORPUS}")
add_test(NAME dns_fuzz_replay COMMAND dns_fuzz_replay)
set_tests_properties(dns_fuzz_replay PROPERTIES LABELS dns)
add_dependencies(dns_test_binaries dns_fuzz_replay)

if(KINDA_FUZZ)
  # Compile the DNS sources again with coverage instrumentation so the fuzzer can steer.
  get_target_property(kinda_dns_sources kinda_dns SOURCES)
  get_target_property(kinda_dns_dir kinda_dns SOURCE_DIR)
  list(FILTER kinda_dns_sources INCLUDE REGEX "\\.cpp$")
  list(TRANSFORM kinda_dns_sources PREPEND ${kinda_dns_dir}/)
  add_executable(dns_packet_fuzz ${CMAKE_CURRENT_LIST_DIR}/dns_packet_fuzz.cpp ${kinda_dns_sources})
  target_compile_options(dns_packet_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(dns_packet_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
  get_target_property(kinda_dns_links kinda_dns LINK_LIBRARIES)
  target_link_libraries(dns_packet_fuzz PRIVATE ${kinda_dns_links} Boost::system
                                               spdlog::spdlog Threads::Threads)
  # A short, seeded run in ctest; new inputs go to the build tree, the committed corpus is read.
  add_test(NAME dns_packet_fuzz_smoke
           COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
                   $<TARGET_FILE:dns_packet_fuzz> -runs=200000 -seed=1 -max_len=1500
                   ${CMAKE_CURRENT_BINARY_DIR}/dns_corpus_new ${KINDA_DNS_CORPUS})
  set_tests_properties(dns_packet_fuzz_smoke PROPERTIES LABELS "dns;fuzz")
  file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/dns_corpus_new)
endif()
