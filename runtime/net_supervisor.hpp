// A pod's network supervisor: the thread (in the pod's shim) that answers every bind, connect,
// listen and addressed send of the pod's processes, so each pod owns its loopback address as a
// Kubernetes pod owns its IP (rules: net_policy.hpp; filter: net_filter.hpp; one call:
// net_calls.hpp). Listeners arrive by add() or on the pod's net.sock (net_handoff.hpp).
//
// It fails closed: a process whose listener is gone (the shim died) gets ENOSYS from every
// supervised call, so nothing of the pod can bind the host's wildcard address unsupervised.
#pragma once

#include <netinet/in.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/error.hpp"
#include "runtime/syscall.hpp"

namespace kinda::runtime {

class NetSupervisor {
 public:
  // Fails for anything but an IPv4 address.
  static Result<std::unique_ptr<NetSupervisor>> create(const std::string& pod_ip);
  ~NetSupervisor();
  NetSupervisor(const NetSupervisor&) = delete;
  NetSupervisor& operator=(const NetSupervisor&) = delete;

  // Receives listeners on the datagram socket at `socket_path` as well (mode 0600).
  Status listen(const std::string& socket_path);
  void start();
  void add(UniqueFd listener);  // from any thread

 private:
  explicit NetSupervisor(in_addr pod);
  void run();
  void take_added();

  in_addr pod_;
  UniqueFd wake_;      // eventfd: add() and the destructor
  UniqueFd handoffs_;  // net.sock
  std::mutex mutex_;
  std::vector<UniqueFd> added_;  // under mutex_
  std::vector<UniqueFd> listeners_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace kinda::runtime
