# The API fuzz targets: manifests (YAML/JSON → create/update), patches (JSON, merge, strategic)
# and routed requests, all through the daemon's own ObjectService and ApiRouter over a real store.
# The replay runs in every build, over the committed corpora and mutations of them; the libFuzzer
# binaries only with -DKINDA_FUZZ=ON (clang).
set(KINDA_API_CORPUS ${CMAKE_CURRENT_LIST_DIR}/corpus)
set(KINDA_API_FUZZ_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/api_fuzz_server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/manifest_fuzz.cpp
  ${CMAKE_CURRENT_LIST_DIR}/patch_fuzz.cpp
  ${CMAKE_CURRENT_LIST_DIR}/request_fuzz.cpp
)
add_executable(api_fuzz_replay ${CMAKE_CURRENT_LIST_DIR}/api_fuzz_replay_test.cpp
                               ${KINDA_API_FUZZ_SOURCES})
# Only what the targets exercise: the API server's routes and object service over a real store,
# the controllers' plans, the kubelet's reading of pod specs and the DNS zone's.
set(KINDA_API_FUZZ_LIBRARIES kinda_apiserver kinda_controllers kinda_pod_spec_rules kinda_dns_feed)
target_link_libraries(api_fuzz_replay PRIVATE ${KINDA_API_FUZZ_LIBRARIES} catch_main)
target_compile_definitions(api_fuzz_replay PRIVATE KINDA_API_CORPUS="${KINDA_API_CORPUS}")
add_test(NAME api_fuzz_replay COMMAND api_fuzz_replay)
set_tests_properties(api_fuzz_replay PROPERTIES LABELS fuzz TIMEOUT 300)

if(KINDA_FUZZ)
  # The object model and the daemon's request path are compiled again with coverage
  # instrumentation so the fuzzer can steer; the rest of the daemon links as it is.
  get_target_property(kinda_api_sources kinda_api SOURCES)
  get_target_property(kinda_api_dir kinda_api SOURCE_DIR)
  list(TRANSFORM kinda_api_sources PREPEND ${kinda_api_dir}/)
  set(kinda_daemon_fuzzed
      apiserver/endpoints/api_router apiserver/registry/object_service
      controller/statefulset/statefulset_plan controller/statefulset/controller_history
      controller/scheduler/scheduler controller/node/node_status kubelet/container_launch
      kubelet/prober/http_probe_request kubelet/prober/probe_port)
  list(TRANSFORM kinda_daemon_fuzzed PREPEND ${CMAKE_SOURCE_DIR}/)
  list(TRANSFORM kinda_daemon_fuzzed APPEND .cpp)
  # Compiled once for the three targets: only the entry point differs between them.
  add_library(api_fuzz_instrumented OBJECT ${KINDA_API_FUZZ_SOURCES} ${kinda_api_sources}
                                           ${kinda_daemon_fuzzed})
  target_compile_options(api_fuzz_instrumented PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
  target_link_libraries(api_fuzz_instrumented PRIVATE ${KINDA_API_FUZZ_LIBRARIES})
  foreach(target manifest patch request)
    string(TOUPPER ${target} target_upper)
    add_executable(${target}_fuzz ${CMAKE_CURRENT_LIST_DIR}/api_fuzz_main.cpp
                                  $<TARGET_OBJECTS:api_fuzz_instrumented>)
    target_compile_definitions(${target}_fuzz PRIVATE KINDA_LIBFUZZER_${target_upper})
    target_compile_options(${target}_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${target}_fuzz PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(${target}_fuzz PRIVATE ${KINDA_API_FUZZ_LIBRARIES})
    # A short, seeded run in ctest; new inputs go to the build tree, the committed corpus is read.
    add_test(NAME ${target}_fuzz_smoke
             COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
                     $<TARGET_FILE:${target}_fuzz> -runs=5000 -seed=1 -max_len=16384
                     -rss_limit_mb=4096 ${CMAKE_CURRENT_BINARY_DIR}/${target}_corpus_new
                     ${KINDA_API_CORPUS}/${target})
    set_tests_properties(${target}_fuzz_smoke PROPERTIES LABELS fuzz TIMEOUT 600)
    file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/${target}_corpus_new)
  endforeach()
endif()
