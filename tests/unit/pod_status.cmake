# The pod status the pod manager writes, from its in-memory view of the pod.
add_executable(pod_status_tests ${CMAKE_CURRENT_LIST_DIR}/pod_status_test.cpp)
target_link_libraries(pod_status_tests PRIVATE kinda_kubelet catch_main)
add_test(NAME pod_status_tests COMMAND pod_status_tests)
