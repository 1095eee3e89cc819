# Seeded fault stories (KINDA_FAULT_SEED replays a run; every failure prints its seed): kill -9 of
# the daemon at random moments of scale-up, rollout, scale-down and set deletion; kill -9 of random
# containers and shims during rollouts. Both check after every fault that no identity has two live
# process trees and no PVC data or object is lost, and that the set converges afterwards.
# Deletion chaos: pods deleted at random moments of their lives must be gone, object and
# processes, within their grace period.
add_test(NAME crash_points_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/crash_points_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(crash_points_e2e PROPERTIES TIMEOUT 300)
add_test(NAME pod_chaos_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/pod_chaos_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(pod_chaos_e2e PROPERTIES TIMEOUT 300)
add_test(NAME deletion_chaos_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/deletion_chaos_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(deletion_chaos_e2e PROPERTIES TIMEOUT 300)
