# Tools of scripts/bench (not tests): net_load drives `scripts/bench net`.
add_executable(net_load ${CMAKE_CURRENT_LIST_DIR}/net_load.cpp)
