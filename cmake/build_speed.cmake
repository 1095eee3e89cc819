# How the tree compiles in minutes rather than a quarter of an hour (measured: README, "Building").
#
# Nearly every source includes nlohmann/json (the object model), and most include spdlog, Asio or
# Catch2: parsing those headers again in each of ~300 translation units was over a third of the
# build, and instantiating the same json templates in each the rest. So:
#  - unity builds: each target's sources compile in batches (one translation unit per batch), so
#    headers are parsed and their templates instantiated once per batch;
#  - one precompiled header for every target (kinda_pch) and one for the tests (kinda_test_pch,
#    with Catch2): every target reuses it, which needs the same flags and definitions everywhere,
#    hence kinda_base below.
# KINDA_UNITY=OFF and KINDA_PCH=OFF build each file on its own (for checking that every file
# still includes what it uses).
option(KINDA_UNITY "Compile each target's sources in batches (unity build)" ON)
option(KINDA_PCH "Reuse one precompiled header of the common headers in every target" ON)
if(KINDA_UNITY)
  set(CMAKE_UNITY_BUILD ON)
  # Small batches keep both cores busy to the end and a one-file change cheap to rebuild.
  set(CMAKE_UNITY_BUILD_BATCH_SIZE 6)
  # In a batch a source's anonymous-namespace types are no longer in the main file, so GCC warns
  # for every pimpl holding one. The warning guards headers, which a build with KINDA_UNITY=OFF
  # still checks.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-subobject-linkage)
  endif()
endif()

# Debug information: full (-g) made a third of each object's compile time, for every template
# instantiation the json and Asio headers bring; line tables and function names (-g1) are what
# backtraces, sanitizer reports and profilers read. KINDA_DEBUG_INFO=full for a debugger session.
set(KINDA_DEBUG_INFO "lines" CACHE STRING "Debug information in RelWithDebInfo and Debug builds: lines (-g1) or full (-g)")
set_property(CACHE KINDA_DEBUG_INFO PROPERTY STRINGS lines full)
if(KINDA_DEBUG_INFO STREQUAL "lines")
  foreach(config RELWITHDEBINFO DEBUG)
    string(REGEX REPLACE "(^| )-g( |$)" "\\1-g1\\2" CMAKE_CXX_FLAGS_${config} "${CMAKE_CXX_FLAGS_${config}}")
  endforeach()
elseif(NOT KINDA_DEBUG_INFO STREQUAL "full")
  message(FATAL_ERROR "KINDA_DEBUG_INFO must be lines or full, not ${KINDA_DEBUG_INFO}")
endif()

# What every target compiles with, so that one precompiled header fits them all: the json,
# spdlog and Boost headers and the definitions their CMake targets carry.
add_library(kinda_base INTERFACE)
target_link_libraries(kinda_base INTERFACE nlohmann_json::nlohmann_json spdlog::spdlog
                                           Boost::system Threads::Threads)

set(KINDA_PCH_HEADERS
  <utility>  # first: Boost 1.74's Asio uses std::exchange without including it
  <algorithm> <chrono> <cstdint> <filesystem> <functional> <map> <memory> <optional> <set>
  <string> <string_view> <unordered_map> <variant> <vector>
  <nlohmann/json.hpp> <spdlog/spdlog.h>)

if(KINDA_PCH)
  file(WRITE ${CMAKE_BINARY_DIR}/kinda_pch.cpp "// The precompiled header's own translation unit.\n")
  add_library(kinda_pch OBJECT ${CMAKE_BINARY_DIR}/kinda_pch.cpp)
  target_link_libraries(kinda_pch PUBLIC kinda_base)
  target_precompile_headers(kinda_pch PRIVATE ${KINDA_PCH_HEADERS})
  add_library(kinda_test_pch OBJECT ${CMAKE_BINARY_DIR}/kinda_pch.cpp)
  target_link_libraries(kinda_test_pch PUBLIC kinda_base Catch2::Catch2)
  target_precompile_headers(kinda_test_pch PRIVATE ${KINDA_PCH_HEADERS} <catch2/catch.hpp>)
  # A precompiled header that does not fit a target's flags is ignored without a word; say it.
  add_compile_options(-Winvalid-pch)
endif()

# Every C++ target below DIR gets the shared flags and reuses the precompiled header; the tests'
# one when it links Catch2's main. Targets with flags of their own (the libFuzzer builds) and
# Catch2's main itself (which defines CATCH_CONFIG_MAIN before the header) build as they are.
function(kinda_speed_up_targets dir)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target ${targets})
    get_target_property(type ${target} TYPE)
    if(NOT type MATCHES "^(STATIC_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$" OR target MATCHES
                                                                          "^kinda_(test_)?pch$")
      continue()
    endif()
    get_target_property(own_options ${target} COMPILE_OPTIONS)
    if(own_options MATCHES "fsanitize=fuzzer")
      continue()
    endif()
    target_link_libraries(${target} PRIVATE kinda_base)
    if(NOT KINDA_PCH OR target STREQUAL "catch_main")
      continue()
    endif()
    get_target_property(links ${target} LINK_LIBRARIES)
    if(links MATCHES "catch_main")
      target_precompile_headers(${target} REUSE_FROM kinda_test_pch)
    else()
      target_precompile_headers(${target} REUSE_FROM kinda_pch)
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(subdir ${subdirs})
    kinda_speed_up_targets(${subdir})
  endforeach()
endfunction()
