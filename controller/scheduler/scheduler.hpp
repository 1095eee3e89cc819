// kinda's kube-scheduler as one pure decision: the node a pod goes to. Nodes are filtered the way
// the default scheduler's filter plugins do (NodeUnschedulable, TaintToleration, nodeSelector,
// the pod count), and a node that is not Ready never gets a pod, whatever the pod tolerates,
// because kinda's failed nodes run nothing. Among the nodes left it spreads: fewest pods of the
// same controller first (a 3-replica set lands on 3 nodes), then fewest pods, then by name.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/error.hpp"

namespace kinda::controller {

// What the spreading and the pod-count filter need from the rest of the cluster: per node, how many
// pods are bound there and not finished (Succeeded or Failed), in all and of the pod's controller.
struct NodeLoad {
  std::map<std::string, int> pods;
  std::map<std::string, int> of_controller;
};

// The load `pods` put on each node, for `pod` (which is not counted if it is among them).
NodeLoad node_load(const nlohmann::json& pod, const std::vector<nlohmann::json>& pods);

// The node for `pod` among `nodes`, given the load of the cluster's other pods.
// A pod that already names a node keeps it while that node exists and is Ready. When nothing
// fits, the Error (reason "Unschedulable") carries the scheduler's message, e.g.
// "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) had untolerated taint
// {node.kubernetes.io/unreachable: }. preemption: …".
Result<std::string> schedule_with_load(const nlohmann::json& pod,
                                       const std::vector<nlohmann::json>& nodes,
                                       const NodeLoad& load);
// The same, given the cluster's `pods` (the pod itself may be among them).
Result<std::string> schedule_pod(const nlohmann::json& pod,
                                 const std::vector<nlohmann::json>& nodes,
                                 const std::vector<nlohmann::json>& pods);

// Why `node` cannot take `pod`, as the scheduler words it ("node(s) were unschedulable"); "" when
// it can. Counts of pods are not considered here.
std::string node_filter_reason(const nlohmann::json& pod, const nlohmann::json& node);

// Whether the pod tolerates the node taint (core/v1 Toleration.ToleratesTaint over its list).
bool pod_tolerates_taint(const nlohmann::json& pod, const nlohmann::json& taint);
// Whether the node meets the pod's nodeSelector and its required node affinity: matchExpressions
// on the node's labels and matchFields on metadata.name (how a DaemonSet pins its pods).
bool node_selection_matches(const nlohmann::json& pod, const nlohmann::json& node);

// Node names in natural order: "web-node" < "web-node2" < "web-node10".
bool node_name_less(const std::string& a, const std::string& b);

}  // namespace kinda::controller
