# The rollout story from the CLI: patch (strategic, merge, JSON), claims and describe, rollout
# status/history/undo/restart. Exit 77 means the controller does not yet write the
# ControllerRevisions and status the rollout part needs.
add_test(NAME rollout_cli_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/rollout_cli_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(rollout_cli_e2e PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77)
