// Which pods are endpoints of which Service, and how: the one rule that the endpoints controller
// (Endpoints and EndpointSlices) and the cluster DNS both follow, so what `kubectl get endpoints`
// shows behind a service and what DNS answers for it can never disagree. Plain values and no
// JSON, so dns/ links it without the resource model; api/endpoint_views reads them from objects.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kinda::api {

struct ContainerPortView {  // one entry of a container's ports[]
  std::string name;
  std::string protocol = "TCP";
  int number = 0;
  bool operator==(const ContainerPortView&) const = default;
};

struct EndpointPod {  // one Pod as the rule reads it
  std::string ns, name, uid;
  std::string hostname, subdomain;  // spec.hostname / spec.subdomain
  std::string node_name;            // spec.nodeName
  std::string ip;                   // status.podIP, "" until assigned (then never an endpoint)
  bool ready = false;               // condition Ready True
  bool terminating = false;         // deletionTimestamp set
  bool finished = false;            // phase Succeeded or Failed: no container will run again
  std::map<std::string, std::string> labels{};
  std::vector<ContainerPortView> container_ports{};  // of every container, for named targetPorts
  bool operator==(const EndpointPod&) const = default;
};

struct EndpointServicePort {  // one entry of a Service's spec.ports[]
  std::string name;
  std::string protocol = "TCP";
  int port = 0;
  int target_port = 0;             // a numeric targetPort; 0 when named or absent (= port)
  std::string target_port_name{};  // a named targetPort, looked up in each pod's containers
  std::string app_protocol{};
  bool operator==(const EndpointServicePort&) const = default;
};

struct EndpointService {  // one Service as the rule reads it
  std::string ns, name;
  bool headless = false;                          // spec.clusterIP == "None"
  std::string cluster_ip;                         // when not headless
  std::string external_name;                      // type ExternalName: a CNAME, never endpoints
  bool publish_not_ready = false;                 // spec.publishNotReadyAddresses
  std::map<std::string, std::string> selector{};  // equality selector over pod labels
  std::vector<EndpointServicePort> ports{};
  bool operator==(const EndpointService&) const = default;
};

// Kubernetes keeps the endpoints of a service only when it selects pods: a service without a
// selector has the endpoints its user writes, and an ExternalName service has none.
bool has_pod_endpoints(const EndpointService& service);
// Every selector term is a label of the pod with that value.
bool selector_matches(const std::map<std::string, std::string>& selector,
                      const std::map<std::string, std::string>& labels);

// One service port as a given pod serves it.
struct ResolvedPort {
  std::string name, protocol, app_protocol;
  int port = 0;
  bool operator==(const ResolvedPort&) const = default;
  auto operator<=>(const ResolvedPort&) const = default;
};
// The service's ports on this pod: numbers as given, names looked up among the pod's container
// ports by name and protocol (as Kubernetes' FindPort). Ports the pod does not have are left out.
std::vector<ResolvedPort> resolve_ports(const EndpointService& service, const EndpointPod& pod);

// An EndpointSlice endpoint's conditions, as the EndpointSlice controller sets them.
struct EndpointConditions {
  bool ready = false;        // serving and not terminating, or publishNotReadyAddresses
  bool serving = false;      // the pod's Ready condition
  bool terminating = false;  // deletionTimestamp set
  bool operator==(const EndpointConditions&) const = default;
};

// Where the Endpoints object lists a pod, and DNS publishes it (kAddress) or not.
enum class EndpointsListing { kLeftOut, kAddress, kNotReadyAddress };

struct PodAsEndpoint {
  EndpointConditions conditions;
  std::vector<ResolvedPort> ports;
  std::string hostname;  // the pod's hostname when its subdomain names the service, else ""
  // Endpoints (and DNS) leave terminating pods out; EndpointSlices keep them, not ready.
  EndpointsListing listing() const;
};

// `pod` as an endpoint of `service`, or nullopt when it is none: the service keeps no pod
// endpoints, the selector does not match, the pod has no address yet or has finished, or the
// service has ports and the pod serves none of them (a named targetPort it lacks).
std::optional<PodAsEndpoint> endpoint_of(const EndpointService& service, const EndpointPod& pod);

}  // namespace kinda::api
