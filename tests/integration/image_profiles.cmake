# The image profiles of images/ (redis, nginx and nginx-slim, etcd, zookeeper, rabbitmq, nats)
# against the real programs, each started from a manifest written for the official image (no
# command, or the command such manifests use) and answering its own client from another pod.
# Exit 77 means the program is not installed or pods lack namespaces: reported as skipped.
foreach(profile redis nginx etcd zookeeper kubernetes_zookeeper rabbitmq nats)
  add_test(NAME image_${profile}_e2e
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/image_${profile}_e2e.sh $<TARGET_FILE:kinda>)
  set_tests_properties(image_${profile}_e2e PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
endforeach()
