# The API machinery kubectl and client-go rely on, over the Unix socket (and through kubectl when
# `kinda kubeconfig` and kubectl are at hand): discovery, OpenAPI, dry runs, fieldValidation,
# server-side apply, read versions, watches, bookmarks, 410 Expired, selector transitions, 404s.
add_test(NAME api_machinery_e2e
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/api_machinery_e2e.sh $<TARGET_FILE:kinda>)
set_tests_properties(api_machinery_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
